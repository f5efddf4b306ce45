-- wrk script: GET PATH_PREFIX .. <query> for each line of the file in $QUERIES, in turn,
-- each wrk thread starting at its own offset so threads do not send the same query at once.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if #line > 0 then queries[#queries + 1] = line end
end
local prefix = os.getenv("PATH_PREFIX") or "/search?q="
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
  local q = queries[((i + (offset or 0)) % #queries) + 1]
  return wrk.format("GET", prefix .. encode(q))
end
