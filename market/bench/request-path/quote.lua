-- A sponsor's quote for a day near Cambridge (the README's walk-through). Environment: XM_TOKEN.
package.path = package.path .. ";" .. (debug.getinfo(1, "S").source:match("^@?(.*/)") or "./") .. "?.lua"
require "report"
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("XM_TOKEN") or "xm_demo_sponsor_acme")
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"near": {"latitude": 52.2, "longitude": 0.12, "withinKm": 500},
 "resources": {"vcpus": 2, "memoryMib": 4096, "diskGib": 20}, "durationHours": 24}]]
wrk.path = "/api/v1/quotes"
