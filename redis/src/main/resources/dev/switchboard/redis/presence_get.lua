-- Drops expired entries, then returns the rest as a flat list: id, info, id, info, ...
-- KEYS[1] presence hash, KEYS[2] expiry zset
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('zrangebyscore', KEYS[2], '-inf', now)
for _, id in ipairs(expired) do
  redis.call('hdel', KEYS[1], id)
end
if #expired > 0 then
  redis.call('zremrangebyscore', KEYS[2], '-inf', now)
end
return redis.call('hgetall', KEYS[1])
