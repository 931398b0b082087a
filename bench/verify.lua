-- wrk script: a door asks whether a card may open it, with cards and doors from ANJU_CARDS (CSV
-- door,card), as a guard's console would (token), so each request is one decision and one event.
local token = os.getenv("ANJU_TOKEN")
local pairs_list = {}
for line in io.lines(os.getenv("ANJU_CARDS")) do
  local door, card = line:match("([^,]+),([^,]+)")
  if door then pairs_list[#pairs_list + 1] = { door, card } end
end
local pause = tonumber(os.getenv("ANJU_DELAY_MS") or "0")
math.randomseed(7)
if pause > 0 then
  delay = function() return pause end
end
request = function()
  local p = pairs_list[math.random(1, #pairs_list)]
  local body = '{"device_id":"' .. p[1] .. '","method":"card","credential":"' .. p[2] .. '"}'
  return wrk.format("POST", "/api/v1/access/verify",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
