-- wrk script: POSTs one GraphQL operation per request, its variables drawn per request, and
-- counts the answers that are not a clean 200 (an HTTP error or a GraphQL `errors` entry), so a
-- run that measured refusals says so.
--
-- Environment:
--   BENCH_QUERY   the GraphQL document
--   BENCH_VARS    the variables as JSON, where `%d` is replaced by a random number between
--                 BENCH_MIN and BENCH_MAX (inclusive)
--   BENCH_TOKENS  optional: a file of bearer tokens, one per line; each request takes one at
--                 random
--   BENCH_STORE   optional: the `Store` header

local query = os.getenv("BENCH_QUERY")
local vars = os.getenv("BENCH_VARS") or "{}"
local low = tonumber(os.getenv("BENCH_MIN") or "1")
local high = tonumber(os.getenv("BENCH_MAX") or "1")
local tokens = {}
local token_file = os.getenv("BENCH_TOKENS")
if token_file and token_file ~= "" then
  for line in io.lines(token_file) do
    if line ~= "" then
      tokens[#tokens + 1] = line
    end
  end
end

local function json_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  failures = 0
  first_failure = ""
end

function request()
  local body = '{"query":' .. json_string(query) .. ',"variables":'
    .. vars:gsub("%%d", tostring(math.random(low, high))) .. '}'
  local headers = { ["Content-Type"] = "application/json" }
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[math.random(1, #tokens)]
  end
  local store = os.getenv("BENCH_STORE")
  if store and store ~= "" then
    headers["Store"] = store
  end
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    failures = failures + 1
    if first_failure == "" then
      first_failure = status .. " " .. body:sub(1, 300)
    end
  end
end

function done(summary, latency, requests)
  local failed = 0
  local example = ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    if example == "" then
      example = thread:get("first_failure")
    end
  end
  -- One machine-readable line for the driver: requests, req/s, p50 ms, p99 ms, failures.
  io.write(string.format("RESULT %d %.0f %.2f %.2f %d\n",
    summary.requests,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    failed + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
  if example ~= "" then
    io.write("FIRST_FAILURE " .. example .. "\n")
  end
end
