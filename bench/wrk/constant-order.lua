-- GET /bench/order: the same request handling, identity header and JSON as an order read, answering a constant
-- order (order-service with orders.bench.constant-endpoint=true): the framework's ceiling for bench/cache.sh
local i = 0
request = function()
  i = i % 2000 + 1
  return wrk.format("GET", "/bench/order", { ["X-User-Id"] = tostring(i) })
end

EXPECTED_STATUS = 200
dofile("bench/wrk/expect-status.lua")
