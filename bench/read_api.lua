-- GET /api/v1/persons/{id} with a bearer token, ids spread over the whole district.
local token = os.getenv("ANJU_TOKEN")
local max_id = tonumber(os.getenv("ANJU_MAX_ID"))
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(seed * 7919)
end

function request()
  local id = math.random(1, max_id)
  return wrk.format("GET", "/api/v1/persons/" .. id .. "?purpose=bench",
                    { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  io.write(string.format("non-2xx or socket errors: %d\n", errors))
end
