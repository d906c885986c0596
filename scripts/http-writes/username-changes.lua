-- wrk script: each request records a UsernameChanged for one of the users the runner seeded, as the
-- contract (api-contracts/.../users.yaml) and test.http send it. Each wrk thread takes the users n with
-- n % threads == its index, in turn, so no two requests race for one user's version (like the project's
-- benchmark: no If-Match, the service decides on the current state). Event ids are unique per run:
-- <run nonce>-<thread>-4000-8000-<counter>.
-- Arguments (after --): <users> <wrk threads> <run nonce, 8 hex digits>

local threads = {}

function setup(thread)
    thread:set("index", #threads)
    table.insert(threads, thread)
end

function init(args)
    users = tonumber(args[1])
    count = tonumber(args[2])
    nonce = args[3]
    nextUser = index + 1
    counter = 0
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Authorization"] = "Basic ZGV2OmRldg=="
end

function request()
    local n = nextUser
    nextUser = nextUser + count
    if nextUser > users then
        nextUser = index + 1
    end
    counter = counter + 1
    local user = string.format("00000000-0000-4000-8000-%012x", n)
    local eventId = string.format("%s-%04x-4000-8000-%012x", nonce, index, counter)
    local body = string.format(
        '{"eventId":"%s","type":"UsernameChanged","data":{"username":"u%d-%s-%d"}}', eventId, n, nonce, counter)
    return wrk.format(nil, "/api/users/" .. user .. "/events", nil, body)
end
