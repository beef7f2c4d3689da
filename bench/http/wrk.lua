-- wrk script for bench/http/run.py. Arguments: METHOD [BODIES_FILE] [THREADS].
-- Each request takes the next line of BODIES_FILE as its JSON body (threads take turns, so no line is sent
-- twice until the file runs out); a line "token<TAB>body" is sent with that bearer token. Responses are
-- counted by status; done() prints one WRK_JSON line.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads - 1)
end

function init(args)
  statuses = {}
  sent = 0
  wrk.method = args[1]
  bodies = {}
  if args[2] then
    for line in io.lines(args[2]) do
      bodies[#bodies + 1] = line
    end
    stride = tonumber(args[3])
  end
end

function request()
  if #bodies == 0 then
    return wrk.format()
  end
  local index = (id + sent * stride) % #bodies + 1
  sent = sent + 1
  local line = bodies[index]
  local tab = string.find(line, "\t", 1, true)
  if tab then  -- "token<TAB>body": the request is that person's, with their bearer token
    return wrk.format(nil, nil, {["Authorization"] = "Bearer " .. string.sub(line, 1, tab - 1)},
                      string.sub(line, tab + 1))
  end
  return wrk.format(nil, nil, nil, line)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    parts[#parts + 1] = string.format('"%s": %d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
