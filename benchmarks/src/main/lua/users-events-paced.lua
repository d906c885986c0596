-- wrk script: users-events.lua at a fixed rate. Arguments after "--": the users file, wrk's thread count and
-- the rate in requests per second for the whole run. Each thread keeps its own schedule (rate / threads) and
-- hands its next slot to whichever of its connections asks first; a thread behind its schedule sends at once
-- until it has caught up, so the schedule stays open loop as far as the connections allow.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "users-events.lua")

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long seconds; long nanos; } users_events_paced_time;
int clock_gettime(int clock, users_events_paced_time *time);
]]
local clock = ffi.new("users_events_paced_time")
local CLOCK_MONOTONIC = 1

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.seconds) * 1000 + tonumber(clock.nanos) / 1e6
end

local unpaced_init = init
function init(args)
  unpaced_init(args)
  interval_ms = 1000 * tonumber(args[2]) / tonumber(args[3])
  next_at = now_ms()
end

-- wrk asks before every request but each connection's first: how many milliseconds to wait before sending it.
function delay()
  next_at = next_at + interval_ms
  local wait = next_at - now_ms()
  if wait < 0 then
    return 0
  end
  return wait
end
