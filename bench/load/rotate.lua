-- wrk script: GET PATH_PREFIX .. <query> for each line of the file in $QUERIES, in turn, or,
-- with $PATHS instead, each line of that file as the path itself (already encoded); each wrk
-- thread starts at its own offset so threads do not send the same request at once. With
-- $DELAY_MS each connection waits that long after each answer, which holds the request rate
-- near connections × 1000 / DELAY_MS (less the answers' own time) instead of as fast as the
-- server can go.
local lines = {}
for line in io.lines(os.getenv("PATHS") or os.getenv("QUERIES")) do
  if #line > 0 then lines[#lines + 1] = line end
end
local asPaths = os.getenv("PATHS") ~= nil
local prefix = os.getenv("PATH_PREFIX") or "/search?q="
local pause = tonumber(os.getenv("DELAY_MS") or "0")
local counter = 1

local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  local line = lines[((i + (offset or 0)) % #lines) + 1]
  return wrk.format("GET", asPaths and line or prefix .. encode(line))
end

if pause > 0 then
  function delay()
    return pause
  end
end
