-- Drops expired entries, then returns the live ones as a flat list: id, info, id, info, ...
-- KEYS[1] presence hash, KEYS[2] expiry sorted set (expiry in Redis server time, ms)
-- An entry whose expiry equals now is expired, as in the memory engine.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(expired) do
  redis.call('HDEL', KEYS[1], id)
end
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
end
return redis.call('HGETALL', KEYS[1])
