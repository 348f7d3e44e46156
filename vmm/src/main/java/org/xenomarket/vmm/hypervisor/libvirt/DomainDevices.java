package org.xenomarket.vmm.hypervisor.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The devices of a running domain that statistics are read from, taken from its live XML, so
 * that guests started by an earlier agent (or with libvirt-assigned MACs) are measured the same.
 */
record DomainDevices(List<String> diskTargets, List<String> interfaceMacs, Optional<String> consoleLog,
                     Optional<String> noticeSocket) {

    static DomainDevices of(String liveXml) {
        Element domain = Xml.parse(liveXml).getDocumentElement();
        List<String> disks = new ArrayList<>();
        List<String> macs = new ArrayList<>();
        Optional<String> consoleLog = Optional.empty();
        Optional<String> noticeSocket = Optional.empty();
        Element devices = firstChild(domain, "devices");
        if (devices == null) {
            return new DomainDevices(disks, macs, consoleLog, noticeSocket);
        }
        for (Element disk : children(devices, "disk")) {
            Element target = firstChild(disk, "target");
            if ("disk".equals(disk.getAttribute("device")) && target != null) {
                disks.add(target.getAttribute("dev"));
            }
        }
        for (Element nic : children(devices, "interface")) {
            Element mac = firstChild(nic, "mac");
            if (mac != null) {
                macs.add(mac.getAttribute("address"));
            }
        }
        for (Element serial : children(devices, "serial")) {
            Element source = firstChild(serial, "source");
            if ("file".equals(serial.getAttribute("type")) && source != null && consoleLog.isEmpty()) {
                consoleLog = Optional.of(source.getAttribute("path"));
            }
        }
        // A guest started before notice channels existed has none; it gets its notices in the metadata only.
        for (Element channel : children(devices, "channel")) {
            Element source = firstChild(channel, "source");
            Element target = firstChild(channel, "target");
            if ("unix".equals(channel.getAttribute("type")) && source != null && target != null
                    && NoticeChannel.NAME.equals(target.getAttribute("name"))) {
                noticeSocket = Optional.of(source.getAttribute("path"));
            }
        }
        return new DomainDevices(List.copyOf(disks), List.copyOf(macs), consoleLog, noticeSocket);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element && name.equals(element.getTagName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element firstChild(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }
}
