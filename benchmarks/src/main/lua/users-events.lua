-- wrk script: every request a valid UsernameChanged (POST /api/users/{id}/events, the users API of
-- api-contracts) with If-Match on the version the user is at. Arguments after "--": the users file
-- ("<user id> <version>" per line) and wrk's thread count. Each wrk thread owns every n-th user and
-- sends to its users in turn, so no two requests in flight ever target the same user.
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local threads = tonumber(args[2])
  users, versions, next_user, n = {}, {}, 0, 0
  for line in io.lines(args[1]) do
    local user, version = line:match("(%S+) (%d+)")
    if n % threads == id then
      users[#users + 1] = user
      versions[#users] = tonumber(version)
    end
    n = n + 1
  end
  math.randomseed(os.time() * 100 + id)
  -- wrk calls request() once on the first thread's script to check the request's shape, and never sends that
  -- one: it must not move the thread to its next user and version, or that user's next request would carry a
  -- version one ahead (a 412 once the thread comes round to the user again).
  checking = id == 0
end

local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%06x%06x", math.random(0, 0x7fffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff), math.random(0, 0xffffff), math.random(0, 0xffffff))
end

function request()
  local user = next_user % #users + 1
  local version = versions[user]
  if checking then
    checking = false
  else
    next_user = user
    versions[user] = version + 1
  end
  local body = string.format('{"eventId":"%s","type":"UsernameChanged","data":{"username":"wrk-%d-%d"}}',
    uuid(), user, version + 1)
  return wrk.format("POST", "/api/users/" .. users[user] .. "/events", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Basic ZGV2OmRldg==",
    ["If-Match"] = '"' .. version .. '"'
  }, body)
end

-- One JSON line for the benchmark to read: counts, errors, and latency percentiles in microseconds.
function done(summary, latency, requests)
  io.write(string.format('RESULT {"requests":%d,"durationMicros":%d,"status":%d,"connect":%d,"read":%d,'
    .. '"write":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}\n', summary.requests, summary.duration,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
