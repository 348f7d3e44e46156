package org.xenomarket.vmm.hypervisor.libvirt;

import java.nio.file.Path;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.PciAddress;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;

/**
 * The libvirt domain definition of a lease's guest, carrying the leased caps: vCPUs, memory,
 * CPU quota ({@code <cputune>}), disk throttles ({@code <iotune>}), network bandwidth
 * ({@code <bandwidth>}), the lease metadata, and the channel pre-emption notices reach the guest by.
 */
final class DomainXml {

    /** CFS period for the CPU quota; libvirt's default, short enough that a capped guest stays responsive. */
    static final long CPU_PERIOD_US = 100_000;

    private static final String NAME_PREFIX = "xm-";

    private DomainXml() {
    }

    /** The domain name of a lease's guest; metadata, not the name, decides what is ours. */
    static String domainName(LeaseId lease) {
        return NAME_PREFIX + lease.value();
    }

    /**
     * @param network the libvirt network guests attach to, or empty when this host gives guests no network
     */
    static String of(GuestSpec spec, DomainType type, StagedGuest staged, Optional<String> network) {
        return of(spec, type, staged, network, new LeaseMetadata(spec.lease(), spec.disk().sizeGib(), null, null));
    }

    /** @param lease what the domain's metadata says about its lease and its agent (see {@link LeaseMetadata}) */
    static String of(GuestSpec spec, DomainType type, StagedGuest staged, Optional<String> network,
                     LeaseMetadata lease) {
        Document doc = Xml.newDocument();
        Element domain = doc.createElement("domain");
        domain.setAttribute("type", type.libvirtName());
        doc.appendChild(domain);

        text(domain, "name", domainName(spec.lease()));
        text(domain, "title", "XenoMarket lease " + spec.lease().value());
        Element metadata = child(domain, "metadata");
        metadata.appendChild(lease.toElement(doc));

        text(domain, "memory", Integer.toString(spec.memoryMib())).setAttribute("unit", "MiB");
        text(domain, "vcpu", Integer.toString(spec.vcpus())).setAttribute("placement", "static");
        cpuQuota(domain, spec, type);

        os(domain, type, staged);
        if (type != DomainType.XEN || staged.kernel().isEmpty()) {
            Element features = child(domain, "features");
            child(features, "acpi");
            child(features, "apic");
        }
        // A guest that powers off is finished: the lease is over for it, and the agent notices it gone.
        text(domain, "on_poweroff", "destroy");
        text(domain, "on_reboot", "restart");
        text(domain, "on_crash", "destroy");

        Element devices = child(domain, "devices");
        staged.disk().ifPresent(disk -> disk(devices, type, disk, staged.diskFormat(), spec.disk()));
        network.ifPresent(name -> networkInterface(devices, name, spec.network()));
        console(devices, type, staged);
        noticeChannel(devices, type, staged);
        spec.passthrough().forEach(address -> hostdev(devices, address));
        // Memory is leased whole; a balloon would only let the host take it back behind the lease.
        if (type != DomainType.XEN) {
            child(devices, "memballoon").setAttribute("model", "none");
        }
        return Xml.write(doc);
    }

    /**
     * One host PCI device given whole to the guest. {@code managed='yes'}: libvirt detaches it from its host
     * driver (binds vfio-pci) at start and gives it back at stop, so the host needs no setup per lease.
     */
    private static void hostdev(Element devices, PciAddress address) {
        Element hostdev = child(devices, "hostdev");
        hostdev.setAttribute("mode", "subsystem");
        hostdev.setAttribute("type", "pci");
        hostdev.setAttribute("managed", "yes");
        Element source = child(hostdev, "source");
        Element at = child(source, "address");
        at.setAttribute("domain", address.domainHex());
        at.setAttribute("bus", address.busHex());
        at.setAttribute("slot", address.slotHex());
        at.setAttribute("function", address.functionHex());
    }

    static void cpuQuota(Element domain, GuestSpec spec, DomainType type) {
        // Xen's libxl driver has no <cputune> quota; its credit scheduler's cap is set after start
        // (see XenCpuCap). An uncapped guest needs no tuning at all.
        if (type == DomainType.XEN || spec.cpuQuotaPercent() >= 100) {
            return;
        }
        Element cputune = child(domain, "cputune");
        text(cputune, "period", Long.toString(CPU_PERIOD_US));
        // libvirt applies the quota to each vCPU thread, which is what "percent of the vCPUs" means.
        text(cputune, "quota", Long.toString(CPU_PERIOD_US * spec.cpuQuotaPercent() / 100));
    }

    private static void os(Element domain, DomainType type, StagedGuest staged) {
        Element os = child(domain, "os");
        boolean kernelBoot = staged.kernel().isPresent();
        // On Xen a directly booted kernel runs paravirtualised, as on the original Xenoservers.
        Element osType = text(os, "type", type == DomainType.XEN && kernelBoot ? "xen" : "hvm");
        if (type != DomainType.XEN) {
            osType.setAttribute("arch", "x86_64");
        }
        if (kernelBoot) {
            text(os, "kernel", staged.kernel().get().toString());
            staged.initrd().ifPresent(initrd -> text(os, "initrd", initrd.toString()));
            text(os, "cmdline", staged.commandLine());
        } else {
            child(os, "boot").setAttribute("dev", "hd");
        }
    }

    private static void disk(Element devices, DomainType type, Path file, String format, DiskSpec limits) {
        Element disk = child(devices, "disk");
        disk.setAttribute("type", "file");
        disk.setAttribute("device", "disk");
        Element driver = child(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", format);
        child(disk, "source").setAttribute("file", file.toString());
        Element target = child(disk, "target");
        target.setAttribute("dev", type == DomainType.XEN ? "xvda" : "vda");
        target.setAttribute("bus", type == DomainType.XEN ? "xen" : "virtio");
        ioTune(disk, type, limits);
    }

    /**
     * The disk throttle: {@code <iotune>} is QEMU's own and works for file-backed disks; {@code <blkiotune>}
     * would need a host block device and the blkio cgroup. libxl has no per-disk throttle.
     */
    static void ioTune(Element disk, DomainType type, DiskSpec limits) {
        if (limits.isThrottled() && type != DomainType.XEN) {
            Element iotune = child(disk, "iotune");
            positive(iotune, "read_bytes_sec", limits.readBytesPerSec());
            positive(iotune, "write_bytes_sec", limits.writeBytesPerSec());
            positive(iotune, "total_iops_sec", limits.iopsPerSec());
        }
    }

    private static void networkInterface(Element devices, String network, NetworkLimits limits) {
        Element nic = child(devices, "interface");
        nic.setAttribute("type", "network");
        child(nic, "source").setAttribute("network", network);
        child(nic, "model").setAttribute("type", "virtio");
        bandwidth(nic, limits);
    }

    /** The NIC's caps; libvirt's direction is the guest's: inbound is what the guest receives. */
    static void bandwidth(Element nic, NetworkLimits limits) {
        if (limits.isLimited()) {
            Element bandwidth = child(nic, "bandwidth");
            if (limits.ingressMbit() > 0) {
                child(bandwidth, "inbound").setAttribute("average", Long.toString(kilobytesPerSecond(limits.ingressMbit())));
            }
            if (limits.egressMbit() > 0) {
                child(bandwidth, "outbound").setAttribute("average", Long.toString(kilobytesPerSecond(limits.egressMbit())));
            }
        }
    }

    /** libvirt's bandwidth unit is kilobytes (1000 bytes) per second, as tc's "kbps". */
    static long kilobytesPerSecond(int mbit) {
        return mbit * 1_000_000L / 8 / 1000;
    }

    private static void console(Element devices, DomainType type, StagedGuest staged) {
        if (type == DomainType.XEN && staged.kernel().isPresent()) {
            // A PV guest has the Xen console, not a serial port.
            Element console = child(devices, "console");
            console.setAttribute("type", "pty");
            child(console, "target").setAttribute("type", "xen");
            return;
        }
        // The serial console goes to a file in the lease directory, so a failed boot can be read
        // after the fact without anyone attached to the guest.
        Element serial = child(devices, "serial");
        serial.setAttribute("type", "file");
        child(serial, "source").setAttribute("path", staged.consoleLog().toString());
        child(serial, "target").setAttribute("port", "0");
    }

    /**
     * The channel the agent writes pre-emption notices into (see {@link NoticeChannel}): a
     * virtio-serial port named {@value NoticeChannel#NAME} on KVM and QEMU, which the guest opens
     * as {@code /dev/virtio-ports/<name>}; on Xen a named PV console the guest finds in xenstore.
     * libvirt creates the socket (as QEMU's user) when the guest starts; the agent connects to it.
     */
    private static void noticeChannel(Element devices, DomainType type, StagedGuest staged) {
        Element channel = child(devices, "channel");
        channel.setAttribute("type", "unix");
        Element source = child(channel, "source");
        source.setAttribute("mode", "bind");
        source.setAttribute("path", staged.noticeSocket().toString());
        Element target = child(channel, "target");
        target.setAttribute("type", type == DomainType.XEN ? "xen" : "virtio");
        target.setAttribute("name", NoticeChannel.NAME);
    }

    private static void positive(Element parent, String name, long value) {
        if (value > 0) {
            text(parent, name, Long.toString(value));
        }
    }

    static Element child(Element parent, String name) {
        Element element = parent.getOwnerDocument().createElement(name);
        parent.appendChild(element);
        return element;
    }

    static Element text(Element parent, String name, String value) {
        Element element = child(parent, name);
        element.setTextContent(value);
        return element;
    }
}
