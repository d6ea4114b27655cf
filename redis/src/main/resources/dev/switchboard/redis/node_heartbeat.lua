-- Records a node's heartbeat and evicts nodes whose last heartbeat is too old.
-- KEYS[1] nodes hash, KEYS[2] liveness zset; ARGV[1] node id, ARGV[2] info, ARGV[3] timeout (ms)
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldest = now - tonumber(ARGV[3])
for _, id in ipairs(redis.call('zrangebyscore', KEYS[2], '-inf', '(' .. oldest)) do
  redis.call('hdel', KEYS[1], id)
end
redis.call('zremrangebyscore', KEYS[2], '-inf', '(' .. oldest)
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
redis.call('zadd', KEYS[2], now, ARGV[1])
return 1
