-- Where a quote's clients are (long-haul egress): each place with the GB expected to it, in the order
-- the sponsor gave them, so a quote can be priced again exactly from what it stores.
CREATE TABLE quote_client_place (
    quote_id    uuid NOT NULL REFERENCES quote (id),
    position    integer NOT NULL CHECK (position >= 0 AND position < 32),
    latitude    double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude   double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    egress_gb   bigint NOT NULL CHECK (egress_gb >= 0),
    PRIMARY KEY (quote_id, position)
);

-- A bid's client places, as text ("lat,lon,gb;..." in the sponsor's order; null when it named none):
-- read with the bid by the clearing round, which needs no join for them.
ALTER TABLE bid ADD COLUMN client_places text;
