-- Delivered entries leave the group's pending list and the stream, so the stream's length is the
-- number of events not yet delivered.
-- KEYS[1] stream. ARGV[1] group, ARGV[2..] entry ids.
redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2, #ARGV))
return redis.call('XDEL', KEYS[1], unpack(ARGV, 2, #ARGV))
