-- Reads a channel's stream position and, optionally, a range of its publications, atomically.
-- KEYS[1] stream, KEYS[2] meta
-- ARGV[1] since offset (-1 = from the start, or from the end when reverse), ARGV[2] limit
-- (-1 = all, 0 = position only), ARGV[3] '1' for newest first, ARGV[4] meta ttl (s),
-- ARGV[5] epoch to use if the stream has none
local epoch = redis.call('hget', KEYS[2], 'e')
if not epoch then
  -- Fix the epoch now, so a reader and the first publisher agree on it.
  epoch = ARGV[5]
  redis.call('del', KEYS[1])
  redis.call('hset', KEYS[2], 'e', epoch, 's', 0)
  redis.call('expire', KEYS[2], ARGV[4])
end
local top = redis.call('hget', KEYS[2], 's') or '0'
local limit = tonumber(ARGV[2])
if limit == 0 then
  return {top, epoch, {}}
end
local since = tonumber(ARGV[1])
local entries
if ARGV[3] == '1' then
  local to = '+'
  if since >= 0 then to = '(' .. since .. '-1' end
  if limit > 0 then
    entries = redis.call('xrevrange', KEYS[1], to, '-', 'COUNT', limit)
  else
    entries = redis.call('xrevrange', KEYS[1], to, '-')
  end
else
  local from = '-'
  if since >= 0 then from = '(' .. since .. '-1' end
  if limit > 0 then
    entries = redis.call('xrange', KEYS[1], from, '+', 'COUNT', limit)
  else
    entries = redis.call('xrange', KEYS[1], from, '+')
  end
end
return {top, epoch, entries}
