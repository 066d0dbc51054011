-- wrk script: cycles through the request paths in $WRK_PATHS (one per line, e.g. made by
-- bench/search_page.sh), each thread starting at a different place in the list.
--   WRK_PATHS=/tmp/paths.txt wrk -t2 -c32 -d10s -s bench/search_mix.lua http://127.0.0.1:18081
local paths = {}
local file = os.getenv("WRK_PATHS") or "paths.txt"
for line in io.lines(file) do
  if #line > 0 then paths[#paths + 1] = line end
end
local i = 0
local offset = 0
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 97)
end

function init(args)
  i = offset or 0
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
