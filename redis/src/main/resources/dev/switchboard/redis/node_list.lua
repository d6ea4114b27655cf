-- Evicts nodes whose last heartbeat is too old and returns the infos of the others.
-- KEYS[1] nodes hash, KEYS[2] liveness zset; ARGV[1] timeout (ms)
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldest = now - tonumber(ARGV[1])
for _, id in ipairs(redis.call('zrangebyscore', KEYS[2], '-inf', '(' .. oldest)) do
  redis.call('hdel', KEYS[1], id)
end
redis.call('zremrangebyscore', KEYS[2], '-inf', '(' .. oldest)
local ids = redis.call('zrange', KEYS[2], 0, -1)
if #ids == 0 then
  return {}
end
return redis.call('hmget', KEYS[1], unpack(ids))
