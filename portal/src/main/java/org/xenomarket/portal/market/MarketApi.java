package org.xenomarket.portal.market;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The market's public REST API, as the portal uses it: every call but signing in carries the
 * signed-in person's bearer token, so the market decides what each person may see and do. Answers
 * stay plain JSON maps: the portal shows them and never re-implements the market's rules.
 */
@RegisterRestClient(configKey = "market")
@RegisterProvider(MarketProblemMapper.class)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface MarketApi {

    String AUTHORIZATION = "Authorization";

    @POST
    @Path("/sessions")
    Map<String, Object> signIn(Map<String, Object> credentials);

    @DELETE
    @Path("/sessions/current")
    void signOut(@HeaderParam(AUTHORIZATION) String bearer);

    @GET
    @Path("/accounts/me")
    Map<String, Object> me(@HeaderParam(AUTHORIZATION) String bearer);

    @GET
    @Path("/servers/nearby")
    List<Map<String, Object>> nearby(@HeaderParam(AUTHORIZATION) String bearer, @QueryParam("lat") String lat,
                                     @QueryParam("lon") String lon, @QueryParam("withinKm") String withinKm,
                                     @QueryParam("vcpus") String vcpus, @QueryParam("memoryMib") String memoryMib,
                                     @QueryParam("diskGib") String diskGib, @QueryParam("sort") String sort);

    @POST
    @Path("/quotes")
    Map<String, Object> quote(@HeaderParam(AUTHORIZATION) String bearer, Map<String, Object> request);

    @POST
    @Path("/bids")
    Map<String, Object> bid(@HeaderParam(AUTHORIZATION) String bearer,
                            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> request);

    @GET
    @Path("/bids")
    Map<String, Object> bids(@HeaderParam(AUTHORIZATION) String bearer, @QueryParam("limit") Integer limit);

    @GET
    @Path("/leases")
    Map<String, Object> leases(@HeaderParam(AUTHORIZATION) String bearer, @QueryParam("limit") Integer limit);

    @GET
    @Path("/leases/{id}")
    Map<String, Object> lease(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("id") String id);

    @GET
    @Path("/usage/leases/{id}")
    List<Map<String, Object>> leaseUsage(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("id") String id);

    /** Each lease event's JSON, as the market sends it. */
    @GET
    @Path("/leases/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    Multi<String> leaseEvents(@HeaderParam(AUTHORIZATION) String bearer);

    @GET
    @Path("/servers")
    Map<String, Object> servers(@HeaderParam(AUTHORIZATION) String bearer, @QueryParam("limit") Integer limit);

    @PUT
    @Path("/servers/{id}/floor-prices")
    Map<String, Object> setFloorPrices(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("id") String id,
                                       Map<String, Object> floorPrices);

    @GET
    @Path("/sites")
    List<Map<String, Object>> sites(@HeaderParam(AUTHORIZATION) String bearer);

    @POST
    @Path("/sites")
    Map<String, Object> createSite(@HeaderParam(AUTHORIZATION) String bearer, Map<String, Object> site);

    @GET
    @Path("/regions")
    List<Map<String, Object>> regions(@HeaderParam(AUTHORIZATION) String bearer);

    @POST
    @Path("/servers")
    Map<String, Object> createServer(@HeaderParam(AUTHORIZATION) String bearer, Map<String, Object> server);

    @GET
    @Path("/pricing/policies")
    List<Map<String, Object>> policies(@HeaderParam(AUTHORIZATION) String bearer);

    @GET
    @Path("/pricing/policies/{version}")
    Map<String, Object> policy(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("version") String version);

    @GET
    @Path("/pricing/policies/{version}/diff")
    Map<String, Object> policyDiff(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("version") String version);

    @POST
    @Path("/pricing/policies")
    Map<String, Object> createPolicy(@HeaderParam(AUTHORIZATION) String bearer, Map<String, Object> request);

    @POST
    @Path("/pricing/policies/{version}/preview")
    Map<String, Object> previewPolicy(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("version") String version,
                                      Map<String, Object> request);

    /** One page of the audit log: {@code items} and {@code next}, the cursor of the following page. */
    @GET
    @Path("/audit")
    Map<String, Object> audit(@HeaderParam(AUTHORIZATION) String bearer,
                              @QueryParam("objectType") String objectType, @QueryParam("objectId") String objectId,
                              @QueryParam("action") String action, @QueryParam("requestId") String requestId,
                              @QueryParam("order") String order, @QueryParam("after") String after);

    @GET
    @Path("/tokens")
    List<Map<String, Object>> tokens(@HeaderParam(AUTHORIZATION) String bearer);

    @POST
    @Path("/tokens")
    Map<String, Object> createToken(@HeaderParam(AUTHORIZATION) String bearer, Map<String, Object> request);

    @DELETE
    @Path("/tokens/{id}")
    Map<String, Object> revokeToken(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("id") String id);

    @POST
    @Path("/tokens/{id}/rotate")
    Map<String, Object> rotateToken(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("id") String id,
                                    Map<String, Object> request);

    @GET
    @Path("/invoices")
    Map<String, Object> invoices(@HeaderParam(AUTHORIZATION) String bearer, @QueryParam("limit") Integer limit);

    @GET
    @Path("/invoices/{id}")
    Map<String, Object> invoice(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("id") String id);

    @GET
    @Path("/invoices/{id}/lines/{n}/trace")
    Map<String, Object> invoiceLineTrace(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("id") String id,
                                         @PathParam("n") String lineNo);

    @GET
    @Path("/payments/invoices/{id}")
    Map<String, Object> invoicePayment(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("id") String id);

    @POST
    @Path("/payments/checkout-sessions")
    Map<String, Object> startCardCheckout(@HeaderParam(AUTHORIZATION) String bearer,
                                          @HeaderParam("Idempotency-Key") String idempotencyKey,
                                          Map<String, Object> returnUrls);

    @GET
    @Path("/payments/method")
    Map<String, Object> paymentMethod(@HeaderParam(AUTHORIZATION) String bearer);

    @GET
    @Path("/sponsors/me/spending-limit")
    Map<String, Object> spendingLimit(@HeaderParam(AUTHORIZATION) String bearer);

    @PUT
    @Path("/sponsors/me/spending-limit")
    Map<String, Object> setSpendingLimit(@HeaderParam(AUTHORIZATION) String bearer, Map<String, Object> limit);

    /** A finance report as JSON: {@code report}, {@code columns}, {@code rows} (one object per row). */
    @GET
    @Path("/reports/{name}")
    Map<String, Object> report(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("name") String name,
                               @QueryParam("by") String by, @QueryParam("from") String from,
                               @QueryParam("to") String to, @QueryParam("at") String at);

    /** The same report as the market's own CSV, passed on unchanged. */
    @GET
    @Path("/reports/{name}")
    @Produces("text/csv")
    String reportCsv(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("name") String name,
                     @QueryParam("by") String by, @QueryParam("from") String from,
                     @QueryParam("to") String to, @QueryParam("at") String at);

    @GET
    @Path("/usage/servers/{id}")
    List<Map<String, Object>> serverUsage(@HeaderParam(AUTHORIZATION) String bearer, @PathParam("id") String id,
                                          @QueryParam("from") String from, @QueryParam("to") String to);
}
