-- POST /api/orders as random users, one line of a random large-stock product
-- (the identity headers are what the gateway sets; this load goes straight to one order-service)
local skus = { "KB-001", "MS-002", "MN-003", "HD-004", "CB-005", "DK-006", "WC-007", "LP-008", "SD-009", "RT-010",
               "MC-011", "LM-012", "CH-013", "DS-014", "PB-015", "HB-016", "MP-017", "SP-018", "TB-019", "EB-020" }

math.randomseed(os.time())

request = function()
  local sku = skus[math.random(#skus)]
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-User-Id"] = tostring(math.random(1, 100000)),
  }
  return wrk.format("POST", "/api/orders", headers, '{"items":[{"sku":"' .. sku .. '","quantity":1}]}')
end

EXPECTED_STATUS = 202
dofile("bench/wrk/expect-status.lua")
