-- A sponsor's reserved bid near Cambridge that nothing is cheap enough for, so it is stored, matched
-- at once (offers found and priced, none affordable) and stays OPEN: each request is one new bid.
-- Environment: XM_TOKEN (a sponsor's bearer token).
package.path = package.path .. ";" .. (debug.getinfo(1, "S").source:match("^@?(.*/)") or "./") .. "?.lua"
require "report"
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("XM_TOKEN") or "xm_demo_sponsor_acme")
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"resources": {"vcpus": 2, "memoryMib": 4096, "diskGib": 20},
 "placement": {"latitude": 52.2, "longitude": 0.12, "withinKm": 500},
 "durationHours": 24, "maxPricePerHour": {"amount": "0.000001", "currency": "EUR"}}]]
wrk.path = "/api/v1/bids"
