package org.xenomarket.portal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls to the market's API with a demo token, for what a journey needs to have happened elsewhere
 * (another sponsor's bid, a provider's node, an operator's round) before the browser looks.
 */
final class MarketCalls {

    private MarketCalls() {
    }

    /** Sends the JSON body (or none) and returns the answer's body; any other status than expected fails. */
    static String send(String method, String path, String token, String body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(MarketProcess.url + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Places a bid as the sponsor of {@code token}; answers the bid's id. */
    static String placeBid(String token, String body) {
        return field(send("POST", "/api/v1/bids", token, body, 201), "id");
    }

    /** The lease a sponsor's matched bid got. */
    static String leaseOfBid(String token, String bidId) {
        return field(send("GET", "/api/v1/bids/" + bidId, token, null, 200), "leaseId");
    }

    /** A string field of a JSON answer, found by name (the answers here are small and flat enough). */
    static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!value.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return value.group(1);
    }
}
