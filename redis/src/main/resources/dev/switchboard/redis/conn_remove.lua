-- Forgets a connection. ARGV[1] prefix, ARGV[2] client id, ARGV[3] user, ARGV[4] routing key or '', ARGV[5] node id
-- A routing key's change is published so nodes drop their cached lookups of it (RoutingKeyCache).
local p = ARGV[1]
redis.call('HDEL', p .. ':conns', ARGV[2])
redis.call('ZREM', p .. ':conns-user:' .. ARGV[3], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('ZREM', p .. ':conns-key:' .. ARGV[4], ARGV[2])
  redis.call('PUBLISH', p .. ':conns-changed', ARGV[4])
end
redis.call('SREM', p .. ':conns-node:' .. ARGV[5], ARGV[2])
return 1
