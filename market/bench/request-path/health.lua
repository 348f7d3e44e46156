-- The framework's floor, without the market's REST layer: Quarkus' liveness check (no token, no database).
package.path = package.path .. ";" .. (debug.getinfo(1, "S").source:match("^@?(.*/)") or "./") .. "?.lua"
require "report"
wrk.method = "GET"
wrk.path = "/q/health/live"
