-- Adds or refreshes a presence entry; expiry uses Redis time so node clocks don't matter.
-- KEYS[1] presence hash, KEYS[2] expiry zset; ARGV[1] client id, ARGV[2] info, ARGV[3] ttl (s)
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
redis.call('zadd', KEYS[2], now + tonumber(ARGV[3]) * 1000, ARGV[1])
redis.call('expire', KEYS[1], ARGV[3])
redis.call('expire', KEYS[2], ARGV[3])
return 1
