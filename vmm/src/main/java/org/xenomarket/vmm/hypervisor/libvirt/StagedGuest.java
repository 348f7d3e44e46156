package org.xenomarket.vmm.hypervisor.libvirt;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The files a guest boots from once they are verified and copied into its lease directory.
 *
 * @param kernel      kernel for a direct kernel boot, empty for a disk boot
 * @param initrd      initrd for a direct kernel boot
 * @param commandLine kernel command line
 * @param disk        the guest's disk: the copied boot image, or a blank disk for a kernel boot
 * @param diskFormat  libvirt's name of the disk's format
 * @param consoleLog  where the guest's serial console is written
 * @param noticeSocket the host end of the guest's notice channel (see {@link NoticeChannel})
 */
record StagedGuest(
        Optional<Path> kernel,
        Optional<Path> initrd,
        String commandLine,
        Optional<Path> disk,
        String diskFormat,
        Path consoleLog,
        Path noticeSocket) {
}
