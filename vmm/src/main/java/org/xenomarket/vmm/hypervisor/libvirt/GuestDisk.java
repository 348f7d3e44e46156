package org.xenomarket.vmm.hypervisor.libvirt;

import java.nio.file.Path;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The file behind a lease guest's one disk and its format, read from the domain's live definition,
 * so that a save flattens the disk the guest actually ran on (a guest of an earlier agent included).
 */
record GuestDisk(Path file, String format) {

    /** The first file-backed disk of the definition; empty for a guest without one (a diskless kernel boot). */
    static Optional<GuestDisk> of(String liveXml) {
        NodeList disks = Xml.parse(liveXml).getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            if (!"disk".equals(disk.getAttribute("device")) || !"file".equals(disk.getAttribute("type"))) {
                continue;
            }
            Element source = firstChild(disk, "source");
            Element driver = firstChild(disk, "driver");
            if (source == null || source.getAttribute("file").isEmpty()) {
                continue;
            }
            String format = driver == null || driver.getAttribute("type").isEmpty() ? "raw" : driver.getAttribute("type");
            return Optional.of(new GuestDisk(Path.of(source.getAttribute("file")), format));
        }
        return Optional.empty();
    }

    private static Element firstChild(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element && name.equals(element.getTagName())) {
                return element;
            }
        }
        return null;
    }
}
