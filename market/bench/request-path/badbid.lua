-- A bid refused by validation before any database work (vcpus 0): the bearer token, the REST layer and its
-- filters, the body parsed and checked, an RFC 9457 problem written. Every answer is a 400, so wrk counts
-- each request among non2xx_or_errors. Environment: XM_TOKEN.
package.path = package.path .. ";" .. (debug.getinfo(1, "S").source:match("^@?(.*/)") or "./") .. "?.lua"
require "report"
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("XM_TOKEN") or "xm_demo_sponsor_acme")
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"resources": {"vcpus": 0, "memoryMib": 4096, "diskGib": 20},
 "placement": {"latitude": 52.2, "longitude": 0.12, "withinKm": 500},
 "durationHours": 24, "maxPricePerHour": {"amount": "0.000001", "currency": "EUR"}}]]
wrk.path = "/api/v1/bids"
