-- Claims up to COUNT lifecycle events for one consumer (a node's webhook dispatcher): when asked
-- to reclaim, first the entries other consumers left unacknowledged for longer than MIN_IDLE (their
-- node died or stalled), then new entries. The consumer group is made on first use (from the
-- stream's start, so events queued while no node ran are not skipped), and consumers that have
-- nothing pending and were idle for long are deleted, so restarts do not pile up consumers.
-- KEYS[1] stream. ARGV[1] group, ARGV[2] consumer, ARGV[3] count, ARGV[4] min idle (ms),
-- ARGV[5] '1' to reclaim and tidy consumers, ARGV[6] idle (ms) after which an empty consumer goes.
-- Returns a flat list: id, event JSON, id, event JSON...
redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
local messages = {}
if ARGV[5] == '1' then
  local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[4], '0-0', 'COUNT', ARGV[3])
  messages = claimed[2]
  local consumers = redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
  for _, c in ipairs(consumers) do
    local f = {}
    for i = 1, #c, 2 do
      f[c[i]] = c[i + 1]
    end
    if f['name'] ~= ARGV[2] and tonumber(f['pending']) == 0 and tonumber(f['idle']) > tonumber(ARGV[6]) then
      redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    end
  end
end
if #messages == 0 then
  local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
  if read then
    messages = read[1][2]
  end
end
local out = {}
for _, m in ipairs(messages) do
  -- An entry trimmed while pending comes back without fields; it is acknowledged by the caller.
  local fields = m[2]
  out[#out + 1] = m[1]
  out[#out + 1] = (fields and fields[2]) or ''
end
return out
