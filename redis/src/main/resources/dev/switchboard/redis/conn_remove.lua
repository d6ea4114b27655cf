-- Forgets a connection. ARGV[1] prefix, ARGV[2] client id, ARGV[3] user, ARGV[4] routing key or '', ARGV[5] node id,
-- ARGV[6] its disconnected event JSON or '', ARGV[7] the event stream's max length, ARGV[8] the publish
-- command ('publish', or 'spublish' on a cluster). KEYS[1] the connections hash (declared for routing).
-- The event is queued only when the entry was still there: a connection evicted with its node
-- got its event from the eviction.
-- A routing key's change is published so nodes drop their cached lookups of it (RoutingKeyCache).
local p = ARGV[1]
local removed = redis.call('HDEL', p .. ':conns', ARGV[2])
if removed == 1 and ARGV[6] ~= '' then
  redis.call('XADD', p .. ':events', 'MAXLEN', '~', ARGV[7], '*', 'e', ARGV[6])
end
redis.call('ZREM', p .. ':conns-user:' .. ARGV[3], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('ZREM', p .. ':conns-key:' .. ARGV[4], ARGV[2])
  redis.call(ARGV[8], p .. ':conns-changed', ARGV[4])
end
redis.call('SREM', p .. ':conns-node:' .. ARGV[5], ARGV[2])
return 1
