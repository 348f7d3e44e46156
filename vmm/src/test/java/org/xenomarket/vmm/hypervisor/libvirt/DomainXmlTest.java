package org.xenomarket.vmm.hypervisor.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.hypervisor.TestSpecs;

class DomainXmlTest {

    @TempDir
    Path dir;

    private final StagedGuest kernelBoot = new StagedGuest(
            Optional.of(Path.of("/leases/l-1/kernel")), Optional.of(Path.of("/leases/l-1/initrd")),
            "console=ttyS0 msg=\"hi\" <&>", Optional.of(Path.of("/leases/l-1/disk.img")), "raw",
            Path.of("/leases/l-1/console.log"), Path.of("/leases/l-1/notice.sock"));

    private GuestSpec capped() throws Exception {
        return new GuestSpec(LeaseId.of("l-1"), 2, 512, 25, new DiskSpec(10, 20_000_000, 10_000_000, 300),
                new NetworkLimits(200, 100), TestSpecs.kernelBoot(dir));
    }

    private static Document parse(String xml) {
        return Xml.parse(xml);
    }

    private static String at(Document doc, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc);
    }

    private static int count(Document doc, String xpath) throws Exception {
        return ((NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET)).getLength();
    }

    @Test
    void carriesTheLeasedCapsForKvm() throws Exception {
        Document doc = parse(DomainXml.of(capped(), DomainType.KVM, kernelBoot, Optional.of("default")));

        assertEquals("kvm", at(doc, "/domain/@type"));
        assertEquals("xm-l-1", at(doc, "/domain/name"));
        assertEquals("2", at(doc, "/domain/vcpu"));
        assertEquals("512", at(doc, "/domain/memory"));
        assertEquals("MiB", at(doc, "/domain/memory/@unit"));
        assertEquals("100000", at(doc, "/domain/cputune/period"));
        assertEquals("25000", at(doc, "/domain/cputune/quota"));
        assertEquals("20000000", at(doc, "/domain/devices/disk/iotune/read_bytes_sec"));
        assertEquals("10000000", at(doc, "/domain/devices/disk/iotune/write_bytes_sec"));
        assertEquals("300", at(doc, "/domain/devices/disk/iotune/total_iops_sec"));
        assertEquals("vda", at(doc, "/domain/devices/disk/target/@dev"));
        assertEquals("default", at(doc, "/domain/devices/interface/source/@network"));
        // 200 Mbit/s in and 100 Mbit/s out, in libvirt's kilobytes per second.
        assertEquals("25000", at(doc, "/domain/devices/interface/bandwidth/inbound/@average"));
        assertEquals("12500", at(doc, "/domain/devices/interface/bandwidth/outbound/@average"));
        assertEquals("none", at(doc, "/domain/devices/memballoon/@model"));
    }

    @Test
    void tagsTheDomainWithItsLeaseInOurNamespace() throws Exception {
        Document doc = parse(DomainXml.of(capped(), DomainType.QEMU, kernelBoot, Optional.empty()));

        var lease = doc.getElementsByTagNameNS(LeaseMetadata.NAMESPACE, "lease");
        assertEquals(1, lease.getLength());
        assertEquals("l-1", ((org.w3c.dom.Element) lease.item(0)).getAttribute("id"));
        assertEquals("10", ((org.w3c.dom.Element) lease.item(0)).getAttribute("disk-gib"));
    }

    @Test
    void bootsTheStagedKernelWithTheCommandLineIntactAndLogsTheConsole() throws Exception {
        Document doc = parse(DomainXml.of(capped(), DomainType.QEMU, kernelBoot, Optional.empty()));

        assertEquals("qemu", at(doc, "/domain/@type"));
        assertEquals("hvm", at(doc, "/domain/os/type"));
        assertEquals("/leases/l-1/kernel", at(doc, "/domain/os/kernel"));
        assertEquals("/leases/l-1/initrd", at(doc, "/domain/os/initrd"));
        assertEquals("console=ttyS0 msg=\"hi\" <&>", at(doc, "/domain/os/cmdline"));
        assertEquals("/leases/l-1/console.log", at(doc, "/domain/devices/serial[@type='file']/source/@path"));
    }

    @Test
    void givesEveryGuestAVirtioSerialNoticeChannelBoundToASocketInItsLeaseDirectory() throws Exception {
        Document doc = parse(DomainXml.of(capped(), DomainType.QEMU, kernelBoot, Optional.empty()));

        assertEquals(1, count(doc, "/domain/devices/channel"));
        assertEquals("unix", at(doc, "/domain/devices/channel/@type"));
        assertEquals("bind", at(doc, "/domain/devices/channel/source/@mode"));
        assertEquals("/leases/l-1/notice.sock", at(doc, "/domain/devices/channel/source/@path"));
        assertEquals("virtio", at(doc, "/domain/devices/channel/target/@type"));
        assertEquals("org.xenomarket.notice.0", at(doc, "/domain/devices/channel/target/@name"));
        // What the agent reads back from a running (or adopted) guest's live XML.
        assertEquals(Optional.of("/leases/l-1/notice.sock"), DomainDevices.of(Xml.write(doc)).noticeSocket());
    }

    @Test
    void aXenGuestsNoticeChannelIsANamedXenConsole() throws Exception {
        Document doc = parse(DomainXml.of(capped(), DomainType.XEN, kernelBoot, Optional.empty()));

        assertEquals("xen", at(doc, "/domain/devices/channel/target/@type"));
        assertEquals("org.xenomarket.notice.0", at(doc, "/domain/devices/channel/target/@name"));
        assertEquals("/leases/l-1/notice.sock", at(doc, "/domain/devices/channel/source/@path"));
    }

    @Test
    void givesNoNetworkInterfaceWhereTheHostHasNoNetwork() throws Exception {
        Document doc = parse(DomainXml.of(capped(), DomainType.KVM, kernelBoot, Optional.empty()));

        assertEquals(0, count(doc, "/domain/devices/interface"));
    }

    @Test
    void anUncappedGuestHasNoCpuTuneAndUnlimitedDiskAndNetworkHaveNoThrottles() throws Exception {
        GuestSpec spec = new GuestSpec(LeaseId.of("free"), 1, 256, 100, DiskSpec.unlimited(5),
                NetworkLimits.unlimited(), TestSpecs.kernelBoot(dir));

        Document doc = parse(DomainXml.of(spec, DomainType.KVM, kernelBoot, Optional.of("default")));

        assertEquals(0, count(doc, "/domain/cputune"));
        assertEquals(0, count(doc, "/domain/devices/disk/iotune"));
        assertEquals(0, count(doc, "/domain/devices/interface/bandwidth"));
    }

    @Test
    void aXenKernelBootIsParavirtualWithXenDisksAndNoQemuOnlyTuning() throws Exception {
        Document doc = parse(DomainXml.of(capped(), DomainType.XEN, kernelBoot, Optional.of("default")));

        assertEquals("xen", at(doc, "/domain/@type"));
        assertEquals("xen", at(doc, "/domain/os/type"));
        assertEquals("xvda", at(doc, "/domain/devices/disk/target/@dev"));
        assertEquals(0, count(doc, "/domain/cputune"));
        assertEquals(0, count(doc, "/domain/devices/disk/iotune"));
        assertEquals("xen", at(doc, "/domain/devices/console/target/@type"));
        // The bandwidth cap is applied by libvirt on the host side of the vif, so Xen keeps it.
        assertEquals("12500", at(doc, "/domain/devices/interface/bandwidth/outbound/@average"));
        assertEquals(50, XenCpuCap.capPercent(capped()));
    }

    @Test
    void aDiskBootBootsFromTheDisk() throws Exception {
        StagedGuest diskBoot = new StagedGuest(Optional.empty(), Optional.empty(), "",
                Optional.of(Path.of("/leases/l-1/disk.img")), "qcow2", Path.of("/leases/l-1/console.log"),
                Path.of("/leases/l-1/notice.sock"));

        Document doc = parse(DomainXml.of(capped(), DomainType.KVM, diskBoot, Optional.empty()));

        assertEquals("hd", at(doc, "/domain/os/boot/@dev"));
        assertEquals(0, count(doc, "/domain/os/kernel"));
        assertEquals("qcow2", at(doc, "/domain/devices/disk/driver/@type"));
    }

    @Test
    void convertsMegabitsToLibvirtKilobytesPerSecond() {
        assertEquals(125, DomainXml.kilobytesPerSecond(1));
        assertEquals(1_250_000, DomainXml.kilobytesPerSecond(10_000));
    }

    @Test
    void passesEachAssignedGpuThroughAsAManagedPciHostdev() throws Exception {
        GuestSpec base = capped();
        GuestSpec withGpus = new GuestSpec(base.lease(), base.vcpus(), base.memoryMib(), base.cpuQuotaPercent(),
                base.disk(), base.network(), base.boot(), java.util.List.of(
                        org.xenomarket.vmm.hypervisor.PciAddress.parse("0000:65:00.0"),
                        org.xenomarket.vmm.hypervisor.PciAddress.parse("0001:b3:1f.7")));
        Document doc = parse(DomainXml.of(withGpus, DomainType.KVM, kernelBoot, Optional.of("default")));

        assertEquals(2, count(doc, "/domain/devices/hostdev[@mode='subsystem'][@type='pci'][@managed='yes']"));
        assertEquals("0x0000", at(doc, "/domain/devices/hostdev[1]/source/address/@domain"));
        assertEquals("0x65", at(doc, "/domain/devices/hostdev[1]/source/address/@bus"));
        assertEquals("0x00", at(doc, "/domain/devices/hostdev[1]/source/address/@slot"));
        assertEquals("0x0", at(doc, "/domain/devices/hostdev[1]/source/address/@function"));
        assertEquals("0x0001", at(doc, "/domain/devices/hostdev[2]/source/address/@domain"));
        assertEquals("0xb3", at(doc, "/domain/devices/hostdev[2]/source/address/@bus"));
        assertEquals("0x1f", at(doc, "/domain/devices/hostdev[2]/source/address/@slot"));
        assertEquals("0x7", at(doc, "/domain/devices/hostdev[2]/source/address/@function"));
    }

    @Test
    void aGuestWithoutGpusHasNoHostdev() throws Exception {
        Document doc = parse(DomainXml.of(capped(), DomainType.KVM, kernelBoot, Optional.of("default")));
        assertEquals(0, count(doc, "/domain/devices/hostdev"));
    }
}
