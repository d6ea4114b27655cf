-- Queues one lifecycle event, dropping the oldest beyond the backlog bound.
-- KEYS[1] stream. ARGV[1] max backlog, ARGV[2] event JSON.
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
