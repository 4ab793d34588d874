-- GET /api/orders/{id} as each order's owner, cycling through the orders listed in the file
-- named by the ORDERS environment variable (lines "id,userId")
local orders = {}
for line in io.lines(os.getenv("ORDERS")) do
  local id, user = line:match("([^,]+),([^,]+)")
  if id then orders[#orders + 1] = { id = id, user = user } end
end

local i = 0
request = function()
  i = i % #orders + 1
  local order = orders[i]
  return wrk.format("GET", "/api/orders/" .. order.id, { ["X-User-Id"] = order.user })
end

EXPECTED_STATUS = 200
dofile("bench/wrk/expect-status.lua")
