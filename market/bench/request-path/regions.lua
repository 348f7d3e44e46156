-- The cheapest existing endpoint of the market's API: a sponsor lists the regions (the bearer token, the
-- REST layer and its filters, one small query, a few rows of JSON). Environment: XM_TOKEN.
package.path = package.path .. ";" .. (debug.getinfo(1, "S").source:match("^@?(.*/)") or "./") .. "?.lua"
require "report"
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("XM_TOKEN") or "xm_demo_sponsor_acme")
wrk.path = "/api/v1/regions"
