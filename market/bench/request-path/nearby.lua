-- A sponsor's nearby search within 500 km of Cambridge (the README's walk-through). Environment: XM_TOKEN.
package.path = package.path .. ";" .. (debug.getinfo(1, "S").source:match("^@?(.*/)") or "./") .. "?.lua"
require "report"
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("XM_TOKEN") or "xm_demo_sponsor_acme")
wrk.path = "/api/v1/servers/nearby?lat=52.2&lon=0.12&withinKm=500&vcpus=2&memoryMib=4096&diskGib=20"
