-- A consumer still retrying these entries claims them again, which resets their idle time so
-- that no other consumer takes them over meanwhile.
-- KEYS[1] stream. ARGV[1] group, ARGV[2] consumer, ARGV[3..] entry ids.
local args = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], '0'}
for i = 3, #ARGV do
  args[#args + 1] = ARGV[i]
end
args[#args + 1] = 'JUSTID'
return #redis.call(unpack(args))
