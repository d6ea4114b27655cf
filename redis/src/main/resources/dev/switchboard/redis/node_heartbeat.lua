-- Records a node's heartbeat and evicts nodes whose last heartbeat is too old, atomically.
-- KEYS[1] nodes hash (node id -> NodeInfo JSON)
-- KEYS[2] liveness sorted set (node id scored by last heartbeat, Redis server time in ms)
-- ARGV[1] node id, ARGV[2] NodeInfo JSON, ARGV[3] node timeout in ms, ARGV[4] key prefix
-- Time comes from Redis itself, so the clocks of the nodes do not matter.
local prefix = ARGV[4]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldest = now - tonumber(ARGV[3])
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. oldest)
for _, id in ipairs(stale) do
  redis.call('HDEL', KEYS[1], id)
  -- The dead node's connections go with it.
  local nodeSet = prefix .. ':conns-node:' .. id
  for _, cid in ipairs(redis.call('SMEMBERS', nodeSet)) do
    local raw = redis.call('HGET', prefix .. ':conns', cid)
    if raw then
      local e = cjson.decode(raw)
      if e.node == id then
        redis.call('HDEL', prefix .. ':conns', cid)
        redis.call('ZREM', prefix .. ':conns-user:' .. e.user, cid)
        if e.key then
          redis.call('ZREM', prefix .. ':conns-key:' .. e.key, cid)
        end
      end
    end
  end
  redis.call('DEL', nodeSet)
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
