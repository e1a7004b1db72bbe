-- wrk script for the benches, chosen by MODE:
--   MODE=alertmanager (bench/routing.py): Alertmanager webhooks of BATCH new alerts each
--     (every alert a new event: its fingerprint and node label are unique per thread and
--     request) to /api/v1/tenants/acme/alertmanager with the ingest TOKEN; prints one
--     line at the end: "RESULT requests duration_us errors p50_ms p99_ms".
--   MODE=who-new (bench/server.sh): `who` with a question never asked before on every
--     request (WHO_PATH, the lookup's path and query, and a word with a counter), so that
--     no answer is remembered: the cost of searching and writing the answer.
local mode = os.getenv("MODE") or "alertmanager"
local batch = tonumber(os.getenv("BATCH") or "1")
local tag = os.getenv("TAG") or "t"
local token = os.getenv("TOKEN") or ""
local path = os.getenv("WHO_PATH") or "/"
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  if mode == "alertmanager" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

function request()
  counter = counter + 1
  if mode == "who-new" then
    return wrk.format("GET", path .. "+r" .. tid .. "x" .. counter)
  end
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
  if mode ~= "alertmanager" then return end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.3f %.3f\n", summary.requests, summary.duration,
                         e.status + e.connect + e.read + e.write + e.timeout,
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
