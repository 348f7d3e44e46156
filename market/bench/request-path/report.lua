-- Shared by the request scripts: one line a run, read by run.sh into its table.
-- wrk's latency percentiles are in microseconds.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rate=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f non2xx_or_errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors))
end
