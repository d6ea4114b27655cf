-- Adds or refreshes one connection's presence entry in a channel.
-- KEYS[1] presence hash (client id -> ClientInfo JSON)
-- KEYS[2] expiry sorted set (client id scored by expiry, Redis server time in ms)
-- ARGV[1] client id, ARGV[2] ClientInfo JSON, ARGV[3] ttl in ms (> 0)
-- Time comes from Redis itself, so the clocks of the nodes do not matter.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Drop expired entries here too, not only on reads: a channel kept alive by one refreshing
-- client must not collect the dead entries of a crashed node until somebody reads it.
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(expired) do
  redis.call('HDEL', KEYS[1], id)
end
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
end

redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])

-- Both keys live exactly until the latest entry expires: an idle channel's keys vanish by
-- themselves, and a short ttl added later never cuts a longer-lived entry short.
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
local expireAt = math.floor(tonumber(last[2]))
redis.call('PEXPIREAT', KEYS[1], expireAt)
redis.call('PEXPIREAT', KEYS[2], expireAt)
return #expired
