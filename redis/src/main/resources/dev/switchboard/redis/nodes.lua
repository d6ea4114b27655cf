-- The node registry, atomically, with Redis time so node clocks don't matter: evicts nodes whose
-- last heartbeat is older than the timeout (and their connections), then either records a
-- heartbeat (returning 1 when this node was not listed) or lists the live nodes' infos.
-- KEYS[1] nodes hash (node id -> NodeInfo JSON), KEYS[2] liveness sorted set (node id by last heartbeat, ms)
-- ARGV[1] node timeout (ms), ARGV[2] key prefix, ARGV[3] 'beat' or 'list', ARGV[4] node id, ARGV[5] NodeInfo JSON,
-- ARGV[6] the event stream's max length, ARGV[7] the publish command ('publish', or 'spublish' on a cluster).
-- An evicted connection whose entry asks for lifecycle events ("ev") gets its disconnected event
-- here, in the same step, so it is queued exactly once (LifecycleEvent's shape, written in Lua).
local prefix = ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldest = now - tonumber(ARGV[1])
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. oldest)
local keysChanged = false
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
          keysChanged = true
        end
        if e.ev then
          redis.call('XADD', prefix .. ':events', 'MAXLEN', '~', ARGV[6], '*', 'e', cjson.encode({
            id = 'lost-' .. cid, type = 'disconnected', time = now, node = id, client = cid,
            user = e.user, routing_key = e.key, code = 3000, reason = 'node lost'}))
        end
      end
    end
  end
  redis.call('DEL', nodeSet)
end
if keysChanged then
  -- Nodes drop every cached routing-key lookup (RoutingKeyCache).
  redis.call(ARGV[7], prefix .. ':conns-changed', '*')
end
if #stale > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. oldest)
end
if ARGV[3] == 'beat' then
  -- 1 when the registry did not list this node (first beat, evicted just now or before, or a
  -- Redis that came back empty): the node then writes its connections again.
  local joined = redis.call('ZSCORE', KEYS[2], ARGV[4]) and 0 or 1
  redis.call('HSET', KEYS[1], ARGV[4], ARGV[5])
  redis.call('ZADD', KEYS[2], now, ARGV[4])
  -- When every node is gone (a full outage, a one-node deployment restarting) the next node to
  -- start must still evict the dead ones, their connections and their disconnected events; only
  -- a cluster gone for a day lets the keys expire.
  redis.call('PEXPIRE', KEYS[1], 86400000)
  redis.call('PEXPIRE', KEYS[2], 86400000)
  return joined
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
