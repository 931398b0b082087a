-- wrk script: trajectories of random persons (ids 1..ANJU_MAX_ID), whole history, first 100.
local token = os.getenv("ANJU_TOKEN")
local max_id = tonumber(os.getenv("ANJU_MAX_ID") or "20000")
math.randomseed(7)
request = function()
  local path = "/api/v1/trajectory?purpose=bench&limit=100&person_id=" .. math.random(1, max_id)
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
