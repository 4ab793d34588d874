-- Loaded by the other scripts (dofile): counts the responses whose status is not EXPECTED_STATUS and prints it.
local unexpected = 0
response = function(status, headers, body)
  if status ~= EXPECTED_STATUS then unexpected = unexpected + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-%d responses: %d\n", EXPECTED_STATUS, unexpected))
end
