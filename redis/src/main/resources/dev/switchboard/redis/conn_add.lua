-- Records a connection: by client id, by user, by routing key, and under its node (so the node's
-- eviction removes it). Keys are built from the registry prefix, which on a Redis Cluster carries one
-- hash tag, so they all share KEYS[1]'s slot (KEYS[1] is the connections hash, declared for routing).
-- ARGV[1] prefix, ARGV[2] client id, ARGV[3] entry JSON, ARGV[4] user, ARGV[5] routing key or '',
-- ARGV[6] node id, ARGV[7] connected at (ms), ARGV[8] its connected event JSON or '' (then the
-- entry JSON carries "ev" so that its removal or its node's eviction queues disconnected),
-- ARGV[9] the event stream's max length, ARGV[10] the publish command ('publish', or 'spublish' on a cluster)
-- A routing key's change is published so nodes drop their cached lookups of it (RoutingKeyCache).
-- Adding a client id again replaces its entry: it leaves the indexes of its previous user, routing
-- key and node, so lookups never return it under values it no longer has.
local p = ARGV[1]
local previous = redis.call('HGET', p .. ':conns', ARGV[2])
if previous then
  local ok, old = pcall(cjson.decode, previous)
  if ok and type(old) == 'table' then
    if type(old.user) == 'string' and old.user ~= ARGV[4] then
      redis.call('ZREM', p .. ':conns-user:' .. old.user, ARGV[2])
    end
    if type(old.key) == 'string' and old.key ~= ARGV[5] then
      redis.call('ZREM', p .. ':conns-key:' .. old.key, ARGV[2])
      redis.call(ARGV[10], p .. ':conns-changed', old.key)
    end
    if type(old.node) == 'string' and old.node ~= ARGV[6] then
      redis.call('SREM', p .. ':conns-node:' .. old.node, ARGV[2])
    end
  end
end
redis.call('HSET', p .. ':conns', ARGV[2], ARGV[3])
redis.call('ZADD', p .. ':conns-user:' .. ARGV[4], ARGV[7], ARGV[2])
if ARGV[5] ~= '' then
  redis.call('ZADD', p .. ':conns-key:' .. ARGV[5], ARGV[7], ARGV[2])
  redis.call(ARGV[10], p .. ':conns-changed', ARGV[5])
end
redis.call('SADD', p .. ':conns-node:' .. ARGV[6], ARGV[2])
-- A client id added again (a write the node retries after the engine was unreachable, whose
-- first attempt may have landed) is reported once.
if ARGV[8] ~= '' and not previous then
  redis.call('XADD', p .. ':events', 'MAXLEN', '~', ARGV[9], '*', 'e', ARGV[8])
end
return 1
