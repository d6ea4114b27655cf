-- Records a connection: by client id, by user, by routing key, and under its node (so the node's
-- eviction removes it). KEYS are built from the prefix: not Redis Cluster safe yet.
-- ARGV[1] prefix, ARGV[2] client id, ARGV[3] entry JSON, ARGV[4] user, ARGV[5] routing key or '',
-- ARGV[6] node id, ARGV[7] connected at (ms)
-- A routing key's change is published so nodes drop their cached lookups of it (RoutingKeyCache).
local p = ARGV[1]
redis.call('HSET', p .. ':conns', ARGV[2], ARGV[3])
redis.call('ZADD', p .. ':conns-user:' .. ARGV[4], ARGV[7], ARGV[2])
if ARGV[5] ~= '' then
  redis.call('ZADD', p .. ':conns-key:' .. ARGV[5], ARGV[7], ARGV[2])
  redis.call('PUBLISH', p .. ':conns-changed', ARGV[5])
end
redis.call('SADD', p .. ':conns-node:' .. ARGV[6], ARGV[2])
return 1
