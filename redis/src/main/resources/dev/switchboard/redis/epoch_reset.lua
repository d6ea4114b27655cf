-- Starts a new epoch for a stream whose data went back in time (a Redis failover or a restart
-- from an older AOF/RDB): offsets would otherwise be reused for different publications.
-- KEYS[1] stream, KEYS[2] meta; ARGV[1] the epoch found rolled back, ARGV[2] the new epoch
if redis.call('hget', KEYS[2], 'e') == ARGV[1] then
  redis.call('del', KEYS[1])
  redis.call('hset', KEYS[2], 'e', ARGV[2])
  return ARGV[2]
end
return redis.call('hget', KEYS[2], 'e')
