-- wrk script for bench/routing.py: Alertmanager webhooks of BATCH new alerts each (every
-- alert a new event: its fingerprint and node label are unique per thread and request),
-- to /api/v1/tenants/acme/alertmanager with the ingest TOKEN. Prints one line at the end:
-- "RESULT requests duration_us errors p50_ms p99_ms".
local batch = tonumber(os.getenv("BATCH") or "1")
local tag = os.getenv("TAG") or "t"
local token = os.getenv("TOKEN") or ""
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  counter = counter + 1
  local alerts = {}
  for k = 1, batch do
    local id = tag .. "-" .. tid .. "-" .. counter .. "-" .. k
    alerts[k] = '{"status":"firing","labels":{"alertname":"KubeNodeNotReady",' ..
        '"namespace":"kube-system","node":"n' .. id .. '"},' ..
        '"startsAt":"2026-11-30T10:00:00Z","fingerprint":"' .. id .. '"}'
  end
  return wrk.format(nil, "/api/v1/tenants/acme/alertmanager", nil,
                    '{"version":"4","alerts":[' .. table.concat(alerts, ",") .. ']}')
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("answered " .. status .. ": " .. body .. "\n")
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.3f %.3f\n", summary.requests, summary.duration,
                         e.status + e.connect + e.read + e.write + e.timeout,
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
