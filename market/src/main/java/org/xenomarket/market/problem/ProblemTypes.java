package org.xenomarket.market.problem;

/** The problem {@code type} URIs the API answers with; each is documented in docs/api-errors.md. */
public final class ProblemTypes {

    private static final String BASE = "https://xenomarket.org/problems/";

    public static final String INVALID_INPUT = BASE + "invalid-input";
    public static final String MALFORMED_JSON = BASE + "malformed-json";
    public static final String NOT_FOUND = BASE + "not-found";
    public static final String NOT_AUTHENTICATED = BASE + "not-authenticated";
    public static final String NOT_PERMITTED = BASE + "not-permitted";
    public static final String CONFLICT = BASE + "conflict";
    public static final String WEBHOOK_SIGNATURE_INVALID = BASE + "webhook-signature-invalid";
    public static final String PAYMENT_PROVIDER_UNAVAILABLE = BASE + "payment-provider-unavailable";
    public static final String UNSATISFIABLE = BASE + "unsatisfiable";
    public static final String POLICY_NOT_COMPILED = BASE + "policy-not-compiled";
    public static final String GOLDEN_QUOTES_DIFFER = BASE + "golden-quotes-differ";
    public static final String PERIOD_ALREADY_INVOICED = BASE + "period-already-invoiced";
    public static final String SPENDING_LIMIT_EXCEEDED = BASE + "spending-limit-exceeded";
    public static final String IDEMPOTENCY_KEY_REUSED = BASE + "idempotency-key-reused";
    public static final String DATABASE_UNAVAILABLE = BASE + "database-unavailable";
    public static final String INTERNAL = BASE + "internal";
    public static final String RATE_LIMITED = BASE + "rate-limited";
    public static final String USAGE_BATCH_REFUSED = BASE + "usage-batch-refused";
    public static final String SPONSOR_NOT_SERVED = BASE + "sponsor-not-served";

    private ProblemTypes() {
    }
}
