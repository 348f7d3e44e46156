package org.xenomarket.market.payment;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook payloads the way Stripe does: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.payload" with the endpoint's secret>}. Written here from the scheme, not taken from
 * stripe-java, so the market's verification is checked against an independent signer.
 */
public final class WebhookSigner {

    /** The webhook secret the test profile configures. */
    public static final String SECRET = "whsec_test_standin";

    private WebhookSigner() {
    }

    public static String sign(String payload, long unixSeconds, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((unixSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String signNow(String payload) {
        return sign(payload, System.currentTimeMillis() / 1000, SECRET);
    }
}
