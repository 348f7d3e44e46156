package org.xenomarket.vmm.hypervisor.libvirt;

import java.time.Instant;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * A pre-emption notice in a domain's metadata, in a namespace of its own beside the lease's:
 * {@code <xm-notice:preemption end="2026-11-25T15:00:00Z"/>}. It is where the host says, in
 * the guest's own definition, when the guest will be stopped; {@code virsh metadata} and tools
 * on the host (or a guest agent) read it there.
 */
final class PreemptionNotice {

    static final String NAMESPACE = "https://xenomarket.org/xmlns/vmm/1/preemption";
    static final String PREFIX = "xm-notice";

    private PreemptionNotice() {
    }

    static String xml(Instant end) {
        return "<preemption end=\"" + end + "\"/>";
    }

    /** The end a notice element names; empty when the element is not a notice. */
    static Optional<Instant> parse(String xml) {
        Element root = Xml.parse(xml).getDocumentElement();
        String end = root.getAttribute("end");
        return !"preemption".equals(root.getLocalName()) && !"preemption".equals(root.getTagName()) || end.isEmpty()
                ? Optional.empty() : Optional.of(Instant.parse(end));
    }
}
