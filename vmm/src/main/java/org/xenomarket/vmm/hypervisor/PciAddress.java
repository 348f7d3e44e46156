package org.xenomarket.vmm.hypervisor;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host PCI device given whole to a guest (an accelerator, by passthrough): domain, bus, slot and
 * function, as the market names it ({@code 0000:65:00.0}, what {@code lspci -D} prints).
 */
public record PciAddress(int domain, int bus, int slot, int function) {

    private static final Pattern TEXT = Pattern.compile("([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

    public PciAddress {
        if (domain < 0 || domain > 0xffff || bus < 0 || bus > 0xff || slot < 0 || slot > 0x1f || function < 0
                || function > 7) {
            throw new IllegalArgumentException("not a PCI address: domain " + domain + ", bus " + bus + ", slot "
                    + slot + ", function " + function);
        }
    }

    /** Parses {@code dddd:bb:ss.f}; anything else is refused with the text. */
    public static PciAddress parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PCI address (domain:bus:slot.function): " + text);
        }
        return new PciAddress(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16),
                Integer.parseInt(m.group(3), 16), Integer.parseInt(m.group(4)));
    }

    /** libvirt's attribute form of each part, e.g. {@code 0x0000}, {@code 0x65}, {@code 0x00}, {@code 0x0}. */
    public String domainHex() {
        return String.format(Locale.ROOT, "0x%04x", domain);
    }

    public String busHex() {
        return String.format(Locale.ROOT, "0x%02x", bus);
    }

    public String slotHex() {
        return String.format(Locale.ROOT, "0x%02x", slot);
    }

    public String functionHex() {
        return "0x" + function;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%04x:%02x:%02x.%d", domain, bus, slot, function);
    }
}
