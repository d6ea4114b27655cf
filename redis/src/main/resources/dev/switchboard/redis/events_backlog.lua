-- The backlog: events not yet delivered, and the age of the oldest by the Redis clock (its entry
-- id is its queueing time in ms).
-- KEYS[1] stream. Returns {size, oldest age ms}.
local size = redis.call('XLEN', KEYS[1])
if size == 0 then
  return {0, 0}
end
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local queuedAt = tonumber(string.match(first[1][1], '^(%d+)'))
return {size, math.max(0, now - queuedAt)}
