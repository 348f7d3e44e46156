package org.xenomarket.market.capacity.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.xenomarket.market.capacity.AcceleratorListing;
import org.xenomarket.pricing.AcceleratorDemand;

/** Accelerators (GPUs) by model, as requests and answers spell them. */
public final class AcceleratorsJson {

    private AcceleratorsJson() {
    }

    /** domain:bus:slot.function, e.g. {@code 0000:65:00.0}. */
    public static final String PCI_ADDRESS = "^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[01][0-9a-fA-F]\\.[0-7]$";

    /** Devices of one model a server lists, with their PCI addresses for passthrough when known. */
    public record Listed(
            @Schema(description = "a model of the active policy's accelerator catalogue", example = "nvidia-l4")
            @NotBlank @Size(max = 64) String model,
            @NotNull @Min(1) @Max(AcceleratorDemand.MAX_COUNT) Integer count,
            @Schema(description = "one PCI address (domain:bus:slot.function) per device, in device order; "
                    + "absent on simulated nodes")
            @Size(max = AcceleratorDemand.MAX_COUNT) List<@NotNull @Size(max = 12) @Pattern(regexp = PCI_ADDRESS) String> pciAddresses) {

        public AcceleratorListing toListing() {
            return new AcceleratorListing(model, count, pciAddresses);
        }
    }

    /** Devices of one model that a quote or bid asks for. */
    public record Wanted(
            @Schema(description = "a model of the active policy's accelerator catalogue", example = "nvidia-a100-80gb")
            @NotBlank @Size(max = 64) String model,
            @NotNull @Min(1) @Max(AcceleratorDemand.MAX_COUNT) Integer count) {

        public AcceleratorDemand toDemand() {
            return new AcceleratorDemand(model, count);
        }

        public static Wanted of(AcceleratorDemand demand) {
            return demand == null ? null : new Wanted(demand.model(), demand.count());
        }
    }

    /** Devices of one model a server has, as views show them. */
    public record OfModel(String model, int count) {

        /** A server's accelerators from their text column, in the provider's order. */
        public static List<OfModel> ofServer(String acceleratorsText) {
            return org.xenomarket.market.capacity.AcceleratorsText.counts(acceleratorsText).entrySet().stream()
                    .map(e -> new OfModel(e.getKey(), e.getValue())).toList();
        }
    }

    /** Devices of one model a lease holds: which, by PCI address (or {@code #n} on a node without addresses). */
    public record Assigned(String model, int count,
                           @Schema(description = "the devices held: PCI addresses (domain:bus:slot.function), or "
                                   + "#n for the n-th device of a server listed without addresses")
                           List<String> devices) {

        /** From a lease's columns; null when it holds no accelerators. */
        public static Assigned of(String model, Integer count, String devicesText) {
            return model == null ? null : new Assigned(model, count,
                    org.xenomarket.market.capacity.AcceleratorsText.devices(devicesText));
        }
    }
}
