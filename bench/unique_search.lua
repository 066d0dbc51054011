-- wrk script: a search never asked before on every request ("lantern -N" with N unique
-- per request and per thread), so neither the results cache nor the page cache can answer.
--   wrk -t2 -c50 -d10s -s bench/unique_search.lua http://127.0.0.1:18080
local counter = 0
local n = 0
local base = 0

function setup(thread)
  counter = counter + 1
  thread:set("base", counter * 100000000)
end

function init(args)
  n = base or 0
end

function request()
  n = n + 1
  return wrk.format("GET", "/works/search?work_search%5Bquery%5D=lantern+-" .. n)
end
