package org.xenomarket.vmm.hypervisor.libvirt;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xenomarket.vmm.hypervisor.LeaseId;

/**
 * The lease a domain runs for, kept in the domain's own metadata so that it survives an agent
 * restart; the agent needs no database of its own to find its guests again. Only domains that
 * carry it are the agent's: others on the host are left alone.
 *
 * @param startedAt when the agent asked libvirt for the domain (whole milliseconds), so the instant
 *                  at which all its counters were zero; null for a domain defined without it
 * @param workDir   the work directory of the agent that started it: several agents may share one
 *                  libvirtd (test runs side by side, say), and each keeps to its own guests; null
 *                  for a domain defined without it (see {@code LibvirtHypervisor}'s ownership rule)
 */
record LeaseMetadata(LeaseId lease, int diskGib, Instant startedAt, String workDir) {

    static final String NAMESPACE = "https://xenomarket.org/xmlns/vmm/1";
    static final String PREFIX = "xm";
    static final String ELEMENT = "lease";

    Element toElement(Document document) {
        Element element = document.createElementNS(NAMESPACE, PREFIX + ":" + ELEMENT);
        element.setAttribute("id", lease.value());
        element.setAttribute("disk-gib", Integer.toString(diskGib));
        if (startedAt != null) {
            element.setAttribute("started-at", startedAt.toString());
        }
        if (workDir != null) {
            element.setAttribute("work-dir", workDir);
        }
        return element;
    }

    /** The metadata of a domain an agent with this work directory starts now. */
    static LeaseMetadata of(LeaseId lease, int diskGib, Instant startedAt, Path workDir) {
        return new LeaseMetadata(lease, diskGib, startedAt, canonical(workDir));
    }

    /** Whether the domain names this work directory as its agent's. */
    boolean names(Path agentWorkDir) {
        return workDir != null && workDir.equals(canonical(agentWorkDir));
    }

    private static String canonical(Path dir) {
        return dir.toAbsolutePath().normalize().toString();
    }

    /** Reads the element libvirt returns for our namespace; empty when it is not ours after all. */
    static Optional<LeaseMetadata> parse(String xml) {
        Element root = Xml.parse(xml).getDocumentElement();
        if (!ELEMENT.equals(root.getLocalName()) || root.getAttribute("id").isEmpty()) {
            return Optional.empty();
        }
        String disk = root.getAttribute("disk-gib");
        String started = root.getAttribute("started-at");
        String workDir = root.getAttribute("work-dir");
        return Optional.of(new LeaseMetadata(LeaseId.of(root.getAttribute("id")),
                disk.isEmpty() ? 0 : Integer.parseInt(disk), started.isEmpty() ? null : Instant.parse(started),
                workDir.isEmpty() ? null : workDir));
    }
}
