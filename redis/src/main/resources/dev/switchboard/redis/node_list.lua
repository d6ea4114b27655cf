-- Evicts nodes whose last heartbeat is too old and returns the infos of the others.
-- KEYS[1] nodes hash, KEYS[2] liveness sorted set (Redis server time, ms); ARGV[1] node timeout in ms, ARGV[2] key prefix
-- A node is live while its last heartbeat is at most the timeout old (same bound as node_heartbeat.lua).
local prefix = ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldest = now - tonumber(ARGV[1])
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
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local info = redis.call('HGET', KEYS[1], id)
  -- A liveness entry without info (a leave that half-failed) is skipped, not returned as nil.
  if info then
    out[#out + 1] = info
  end
end
return out
