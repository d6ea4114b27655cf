-- Returns the entries of a user or routing key index (oldest first), or of all connections.
-- ARGV[1] registry prefix, ARGV[2] 'user' | 'key' | 'all', ARGV[3] the user or key
-- KEYS[1] the connections hash (declared so a cluster routes the script to the registry's slot)
local p = ARGV[1]
if ARGV[2] == 'all' then
  return redis.call('HVALS', p .. ':conns')
end
local index = p .. ':conns-' .. ARGV[2] .. ':' .. ARGV[3]
local out = {}
for _, cid in ipairs(redis.call('ZRANGE', index, 0, -1)) do
  local raw = redis.call('HGET', p .. ':conns', cid)
  if raw then
    out[#out + 1] = raw
  else
    redis.call('ZREM', index, cid)
  end
end
return out
