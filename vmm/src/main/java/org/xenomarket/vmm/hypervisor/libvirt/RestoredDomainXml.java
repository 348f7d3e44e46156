package org.xenomarket.vmm.hypervisor.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.GuestSpec;

/**
 * The definition a saved guest is restored under: the one in its save image, rewritten for the new
 * lease (title, lease metadata, CPU quota, disk and NIC caps) and for this node's files (disk,
 * kernel, initrd, console log, notice socket). What the guest itself can see stays as saved: its
 * UUID, memory, vCPUs and devices; libvirt refuses a restore that changes them (QEMU cannot), so a
 * spec asking for other memory or vCPUs is refused here first, with the figures. libvirt refuses
 * another domain name too, so a restored guest keeps the name it was saved under
 * ({@code xm-<first lease>}); the driver finds it by the lease in its metadata.
 */
final class RestoredDomainXml {

    /** The saved guest cannot be restored under this spec on this host; the message says why. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message);
        }
    }

    private RestoredDomainXml() {
    }

    /**
     * @param saved   the definition in the save image ({@code virDomainSaveImageGetXMLDesc})
     * @param staged  this lease's files: the moved disk (qcow2), the kernel and initrd of a kernel boot,
     *                the console log and the notice socket
     * @param network the libvirt network of this host, empty when it gives guests no network
     */
    static String of(String saved, GuestSpec spec, DomainType type, StagedGuest staged, Optional<String> network,
                     LeaseMetadata lease) throws Mismatch {
        Document doc = Xml.parse(saved);
        Element domain = doc.getDocumentElement();
        check(domain, spec, type);

        domain.removeAttribute("id");
        // The name stays as saved: libvirt refuses to restore a guest under another (and the UUID, which the guest sees).
        replaceText(domain, "title", "XenoMarket lease " + spec.lease().value());
        Element metadata = first(domain, "metadata").orElseGet(() -> DomainXml.child(domain, "metadata"));
        // The saved lease's metadata (and any pre-emption notice it had) belongs to the old lease.
        for (Element old : children(metadata, null)) {
            if (old.getNamespaceURI() != null && old.getNamespaceURI().startsWith(LeaseMetadata.NAMESPACE)) {
                metadata.removeChild(old);
            }
        }
        metadata.appendChild(lease.toElement(doc));

        first(domain, "cputune").ifPresent(domain::removeChild);
        DomainXml.cpuQuota(domain, spec, type);

        Element os = first(domain, "os").orElseThrow(() -> new Mismatch("the saved definition has no <os>"));
        staged.kernel().ifPresent(kernel -> replaceText(os, "kernel", kernel.toString()));
        staged.initrd().ifPresent(initrd -> replaceText(os, "initrd", initrd.toString()));

        Element devices = first(domain, "devices").orElseThrow(() -> new Mismatch("the saved definition has no <devices>"));
        rewriteDisk(devices, spec, type, staged);
        rewriteInterfaces(devices, spec, network);
        for (Element serial : children(devices, "serial")) {
            if ("file".equals(serial.getAttribute("type"))) {
                first(serial, "source").ifPresent(source -> source.setAttribute("path", staged.consoleLog().toString()));
            }
        }
        for (Element channel : children(devices, "channel")) {
            Optional<Element> target = first(channel, "target");
            if ("unix".equals(channel.getAttribute("type"))
                    && target.map(t -> NoticeChannel.NAME.equals(t.getAttribute("name"))).orElse(false)) {
                first(channel, "source").ifPresent(source -> source.setAttribute("path", staged.noticeSocket().toString()));
            }
        }
        return Xml.write(doc);
    }

    /** Refuses what no rewrite can fix: another domain type, other memory or vCPUs, another kind of boot. */
    private static void check(Element domain, GuestSpec spec, DomainType type) throws Mismatch {
        String savedType = domain.getAttribute("type");
        if (!type.libvirtName().equals(savedType)) {
            throw new Mismatch("the guest was saved as a '" + savedType + "' domain and this host runs '"
                    + type.libvirtName() + "' domains; a guest resumes only on the domain type it was saved on");
        }
        long savedKib = memoryKib(domain);
        long wantedKib = spec.memoryMib() * 1024L;
        if (savedKib != wantedKib) {
            throw new Mismatch("the guest was saved with " + savedKib / 1024 + " MiB of memory and the lease asks for "
                    + spec.memoryMib() + " MiB; a saved guest resumes with the memory it was saved with");
        }
        int savedVcpus = Integer.parseInt(first(domain, "vcpu").map(Node::getTextContent).orElse("1").strip());
        if (savedVcpus != spec.vcpus()) {
            throw new Mismatch("the guest was saved with " + savedVcpus + " vCPUs and the lease asks for " + spec.vcpus()
                    + "; a saved guest resumes with the vCPUs it was saved with");
        }
        boolean savedKernelBoot = first(domain, "os").flatMap(os -> first(os, "kernel")).isPresent();
        boolean kernelBoot = spec.boot() instanceof BootImage.Kernel;
        if (savedKernelBoot != kernelBoot) {
            throw new Mismatch(savedKernelBoot
                    ? "the guest was saved booted from a kernel and the lease names a disk image: QEMU needs the kernel"
                    + " again to resume it"
                    : "the guest was saved booted from its disk and the lease names a kernel");
        }
    }

    private static long memoryKib(Element domain) throws Mismatch {
        Element memory = first(domain, "memory").orElseThrow(() -> new Mismatch("the saved definition has no <memory>"));
        long value = Long.parseLong(memory.getTextContent().strip());
        String unit = memory.getAttribute("unit").toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "", "k", "kib" -> value;
            case "b", "bytes" -> value / 1024;
            case "m", "mib" -> value * 1024;
            case "g", "gib" -> value * 1024 * 1024;
            default -> throw new Mismatch("the saved definition gives memory in an unexpected unit: " + unit);
        };
    }

    private static void rewriteDisk(Element devices, GuestSpec spec, DomainType type, StagedGuest staged)
            throws Mismatch {
        List<Element> disks = new ArrayList<>();
        for (Element disk : children(devices, "disk")) {
            if ("disk".equals(disk.getAttribute("device"))) {
                disks.add(disk);
            }
        }
        if (disks.size() != 1 || staged.disk().isEmpty()) {
            throw new Mismatch("the saved definition has " + disks.size() + " disks; a lease guest has exactly one");
        }
        Element disk = disks.get(0);
        disk.setAttribute("type", "file");
        Element driver = first(disk, "driver").orElseGet(() -> DomainXml.child(disk, "driver"));
        driver.setAttribute("type", staged.diskFormat());
        Element source = first(disk, "source").orElseGet(() -> DomainXml.child(disk, "source"));
        for (String attribute : List.of("dev", "volume", "pool", "name", "protocol")) {
            source.removeAttribute(attribute);
        }
        source.setAttribute("file", staged.disk().get().toString());
        // A backing store named in the saved definition was the old node's; the moved disk has none.
        first(disk, "backingStore").ifPresent(disk::removeChild);
        first(disk, "iotune").ifPresent(disk::removeChild);
        DomainXml.ioTune(disk, type, spec.disk());
    }

    private static void rewriteInterfaces(Element devices, GuestSpec spec, Optional<String> network) throws Mismatch {
        List<Element> nics = children(devices, "interface");
        if (!nics.isEmpty() && network.isEmpty()) {
            throw new Mismatch("the guest was saved with a network card and this host gives guests no network"
                    + " (xenomarket.vmm.libvirt.network is unset); the card cannot be taken from a saved guest");
        }
        for (Element nic : nics) {
            nic.setAttribute("type", "network");
            Element source = first(nic, "source").orElseGet(() -> DomainXml.child(nic, "source"));
            for (String attribute : List.of("bridge", "dev", "mode", "portid", "portgroup")) {
                source.removeAttribute(attribute);
            }
            source.setAttribute("network", network.get());
            // The tap device name was the old host's; libvirt picks a new one.
            first(nic, "target").ifPresent(nic::removeChild);
            first(nic, "bandwidth").ifPresent(nic::removeChild);
            DomainXml.bandwidth(nic, spec.network());
        }
    }

    private static void replaceText(Element parent, String name, String value) {
        first(parent, name).orElseGet(() -> DomainXml.child(parent, name)).setTextContent(value);
    }

    private static Optional<Element> first(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The element children of {@code parent} named {@code name} (by local name), or all of them for null. */
    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element
                    && (name == null || name.equals(element.getLocalName() != null ? element.getLocalName()
                    : element.getTagName()))) {
                found.add(element);
            }
        }
        return found;
    }
}
