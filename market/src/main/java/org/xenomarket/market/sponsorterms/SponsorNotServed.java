package org.xenomarket.market.sponsorterms;

import java.util.List;
import java.util.UUID;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.problem.ProblemException;
import org.xenomarket.market.problem.ProblemTypes;

/**
 * A quote asked of a server whose provider does not take this sponsor: its allow list leaves the
 * sponsor out, or its deny list names it. 422: the request is well formed, the provider says no.
 */
public class SponsorNotServed extends ProblemException {

    public SponsorNotServed(String field, UUID serverId) {
        super(422, ProblemTypes.SPONSOR_NOT_SERVED, "The provider does not serve this sponsor",
                field + ": the provider of server " + serverId + " does not take bids or quotes from this sponsor",
                List.of(new Problem.FieldError(field, "the provider of server " + serverId
                        + " does not take bids or quotes from this sponsor")));
    }
}
