-- wrk script of bench/server_bench.py: cycles through the paths given after "--"
-- (or requests the URL's own path), and prints the latencies as one JSON line: the
-- percentiles, and the distribution as its 400 quantiles (every quarter of a percent,
-- in microseconds), so that runs of the same page in several slices of the benchmark
-- can be pooled into one distribution.
local paths = {}
local i = 0

init = function(args)
  for _, p in ipairs(args) do paths[#paths + 1] = p end
end

request = function()
  if #paths == 0 then return wrk.format(nil) end
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end

done = function(summary, latency, requests)
  local quantiles = {}
  for q = 1, 400 do
    quantiles[q] = string.format("%d", latency:percentile(q / 4))
  end
  io.write(string.format(
    '{"p50": %.3f, "p95": %.3f, "p99": %.3f, "requests": %d, "non2xx": %d, "timeouts": %d, ' ..
    '"quantiles_us": [%s]}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.errors.status,
    summary.errors.timeout, table.concat(quantiles, ",")))
end
