package org.xenomarket.market.payment;

import java.util.List;
import org.xenomarket.market.problem.ProblemException;
import org.xenomarket.market.problem.ProblemTypes;

/** Stripe did not answer in time, answered 5xx, or is not configured; nothing was stored, retry later. */
public class PaymentProviderUnavailable extends ProblemException {

    public PaymentProviderUnavailable(String detail) {
        super(503, ProblemTypes.PAYMENT_PROVIDER_UNAVAILABLE, "Payment provider unavailable", detail, List.of());
    }
}
