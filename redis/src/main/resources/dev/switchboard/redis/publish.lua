-- Publishes one message into a channel, atomically: idempotency check, offset bump, stream
-- append with trimming, TTLs, PUBLISH framed with offset and epoch, idempotency result.
-- KEYS[1] stream, KEYS[2] meta, KEYS[3] idempotency key
-- ARGV[1] payload, ARGV[2] history size (0 = no history), ARGV[3] history ttl (s),
-- ARGV[4] meta ttl (s), ARGV[5] pub/sub channel, ARGV[6] epoch to use if the stream has none,
-- ARGV[7] idempotency ttl (s, 0 = no key), ARGV[8] the publish command ('publish', or 'spublish' on a
-- cluster, where the pub/sub channel shares the keys' hash tag). KEYS[3] is passed only with a key.
if ARGV[7] ~= '0' then
  local prev = redis.call('hmget', KEYS[3], 'o', 'e')
  if prev[1] then
    return {tonumber(prev[1]), prev[2]}
  end
end
local offset = 0
local epoch = ''
if ARGV[2] ~= '0' then
  epoch = redis.call('hget', KEYS[2], 'e')
  if not epoch then
    -- A new epoch: whatever stream is left belongs to a lost history.
    epoch = ARGV[6]
    redis.call('del', KEYS[1])
    redis.call('hset', KEYS[2], 'e', epoch, 's', 0)
  end
  offset = redis.call('hincrby', KEYS[2], 's', 1)
  redis.call('xadd', KEYS[1], 'MAXLEN', ARGV[2], offset .. '-1', 'd', ARGV[1])
  redis.call('expire', KEYS[1], ARGV[3])
  redis.call('expire', KEYS[2], ARGV[4])
end
redis.call(ARGV[8], ARGV[5], 'p' .. offset .. ':' .. epoch .. ':' .. ARGV[1])
if ARGV[7] ~= '0' then
  redis.call('hset', KEYS[3], 'o', offset, 'e', epoch)
  redis.call('expire', KEYS[3], ARGV[7])
end
return {offset, epoch}
