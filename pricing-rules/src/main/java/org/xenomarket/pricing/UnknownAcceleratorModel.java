package org.xenomarket.pricing;

/** A request asked for an accelerator model the policy's catalogue does not price. */
public final class UnknownAcceleratorModel extends IllegalArgumentException {

    private final String model;

    public UnknownAcceleratorModel(String model, String policyVersion) {
        super("accelerator model '" + model + "' is not in the catalogue of policy " + policyVersion);
        this.model = model;
    }

    public String model() {
        return model;
    }
}
