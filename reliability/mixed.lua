-- wrk script: GET each path of the file in $PATHS in turn, each thread from its own offset so
-- threads do not ask for the same thing at once. With $DELAY_MS each connection waits that
-- long after each answer, which holds the request rate near connections × 1000 / DELAY_MS
-- (less the answers' own time) instead of as fast as the server can go.
local paths = {}
for line in io.lines(os.getenv("PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local pause = tonumber(os.getenv("DELAY_MS") or "0")
local counter = 1

function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[((i + (offset or 0)) % #paths) + 1])
end

if pause > 0 then
  function delay()
    return pause
  end
end
