package org.xenomarket.market.capacity.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xenomarket.market.capacity.AcceleratorListing;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.pricing.AcceleratorDemand;

/**
 * The accelerator models the active policy prices: a listing, quote or bid naming another model is
 * refused here, before anything is stored, naming the field at fault.
 */
@ApplicationScoped
public class AcceleratorCatalogue {

    private final PricingService pricing;

    public AcceleratorCatalogue(PricingService pricing) {
        this.pricing = pricing;
    }

    /** The models of the active policy, sorted. */
    public Set<String> models() {
        return new TreeSet<>(pricing.activeEngine().policy().tables().acceleratorPrices().keySet());
    }

    /** Refuses a demand for a model outside the catalogue ({@code field}: e.g. {@code accelerators.model}). */
    public void requireKnown(String field, AcceleratorDemand demand) {
        if (demand != null) {
            requireKnown(field, demand.model());
        }
    }

    /**
     * Refuses listings naming an unknown model, one model twice, or PCI addresses that are not one per
     * device or name one device twice ({@code accelerators[i].model}, {@code accelerators[i].pciAddresses}).
     */
    public void requireValid(List<AcceleratorListing> listings) {
        Set<String> models = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < listings.size(); i++) {
            AcceleratorListing listing = listings.get(i);
            String at = "accelerators[" + i + "]";
            requireKnown(at + ".model", listing.model());
            if (!models.add(listing.model())) {
                throw new InvalidInput(at + ".model", "lists model " + listing.model()
                        + " a second time; give one entry per model with its count");
            }
            if (!listing.pciAddresses().isEmpty() && listing.pciAddresses().size() != listing.count()) {
                throw new InvalidInput(at + ".pciAddresses", "gives " + listing.pciAddresses().size()
                        + " addresses for " + listing.count() + " devices: give one per device, or none");
            }
            for (int p = 0; p < listing.pciAddresses().size(); p++) {
                String address = listing.addressOf(p);
                if (!AcceleratorListing.PCI_ADDRESS.matcher(address).matches()) {
                    throw new InvalidInput(at + ".pciAddresses[" + p + "]",
                            "must be a PCI address domain:bus:slot.function such as 0000:65:00.0");
                }
                if (!addresses.add(address)) {
                    throw new InvalidInput(at + ".pciAddresses[" + p + "]", "names device " + address
                            + " a second time");
                }
            }
        }
    }

    private void requireKnown(String field, String model) {
        Set<String> known = models();
        if (!known.contains(model)) {
            throw new InvalidInput(field, "unknown accelerator model '" + model + "'; the policy "
                    + pricing.activePolicyVersion() + " prices: " + String.join(", ", known));
        }
    }
}
