package org.xenomarket.market.capacity;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Devices of one accelerator model a server lists: how many, and their PCI addresses when the provider
 * gave them (in the order the devices are numbered; empty on simulated nodes, whose devices have none).
 */
public record AcceleratorListing(String model, int count, List<String> pciAddresses) {

    /** domain:bus:slot.function as libvirt and lspci -D write it, e.g. {@code 0000:65:00.0}. */
    public static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[01][0-9a-fA-F]\\.[0-7]");

    public AcceleratorListing {
        pciAddresses = pciAddresses == null ? List.of() : List.copyOf(pciAddresses);
    }

    /** The address of the device at {@code position}, lower case; null when none was given. */
    public String addressOf(int position) {
        return pciAddresses.isEmpty() ? null : pciAddresses.get(position).toLowerCase(java.util.Locale.ROOT);
    }
}
