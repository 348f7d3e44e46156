package org.xenomarket.market.payment;

import java.util.List;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.problem.ProblemException;
import org.xenomarket.market.problem.ProblemTypes;

/** A webhook whose Stripe-Signature does not verify or whose timestamp is outside the tolerance. */
public class WebhookRefused extends ProblemException {

    public WebhookRefused(String detail) {
        super(400, ProblemTypes.WEBHOOK_SIGNATURE_INVALID, "Webhook signature invalid", detail,
                List.of(new Problem.FieldError("Stripe-Signature", detail)));
    }
}
