-- wrk script: a listing at a random page on every request (pages 1..MAX_PAGE of PAGE_PATH),
-- so that one connection mostly asks for pages not rendered before.
--   PAGE_PATH=/tags/NAME/works MAX_PAGE=200 wrk -t1 -c1 -d10s -s bench/random_page.lua URL
local path = os.getenv("PAGE_PATH") or "/works"
local max_page = tonumber(os.getenv("MAX_PAGE") or "200")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() + (seed or 0) * 7919)
end

function request()
  return wrk.format("GET", path .. "?page=" .. math.random(1, max_page))
end
