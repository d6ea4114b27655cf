-- Removes one connection's presence entry from a channel, hash and expiry set together.
-- KEYS[1] presence hash, KEYS[2] expiry sorted set; ARGV[1] client id
-- Returns 1 if the entry existed, else 0. An emptied sorted set is deleted by Redis; the hash
-- is then empty too, so both keys are gone.
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return removed
