-- Records a node's heartbeat and evicts nodes whose last heartbeat is too old, atomically.
-- KEYS[1] nodes hash (node id -> NodeInfo JSON)
-- KEYS[2] liveness sorted set (node id scored by last heartbeat, Redis server time in ms)
-- ARGV[1] node id, ARGV[2] NodeInfo JSON, ARGV[3] node timeout in ms
-- Time comes from Redis itself, so the clocks of the nodes do not matter.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldest = now - tonumber(ARGV[3])
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. oldest)
for _, id in ipairs(stale) do
  redis.call('HDEL', KEYS[1], id)
end
if #stale > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. oldest)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], now, ARGV[1])
-- When every node is gone nobody evicts anymore: let the keys themselves expire then.
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return #stale
