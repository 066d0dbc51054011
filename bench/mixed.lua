-- wrk script: an archive's day, mixed. Reads the path lists bench/mixed.sh wrote
-- (MIXED_PATHS, a Lua file defining `works`, `chapters`, `tags`, `deep_tags`, `users`,
-- `searches`) and
-- the member's cookie (MIXED_COOKIE). About 40 % of requests carry the member's cookie.
--   MIXED_PATHS=paths.lua MIXED_COOKIE='_tome_session=...' wrk -t2 -c50 -d10s -s bench/mixed.lua URL
dofile(os.getenv("MIXED_PATHS"))
local cookie = os.getenv("MIXED_COOKIE") or ""
local counter = 0
local n = 0
local base = 0

function setup(thread)
  counter = counter + 1
  thread:set("base", counter * 100000000)
  thread:set("seed", counter)
end

function init(args)
  n = base or 0
  math.randomseed(seed or 1)
end

local function pick(list) return list[math.random(#list)] end

-- Shares of the day (out of 100).
local kinds = {
  {30, function() return "/works/" .. pick(works) end},
  {15, function() return pick(chapters) end},
  {15, function() return "/tags/" .. pick(tags) .. "/works" end},
  {5,  function() return "/tags/" .. pick(#deep_tags > 0 and deep_tags or tags) .. "/works?page=" .. math.random(2, 5) end},
  {6,  function() n = n + 1; return "/works/search?work_search%5Bquery%5D=lantern+-" .. n end},
  {6,  function() return "/works/search?work_search%5Bquery%5D=" .. pick(searches) end},
  {6,  function() return "/" end},
  {5,  function() return "/works" end},
  {6,  function() return "/users/" .. pick(users) end},
  {4,  function() return "/users/" .. pick(users) .. "/works" end},
  {2,  function() return "MEMBER" .. pick({"/users/benchreader/readings", "/users/benchreader/bookmarks", "/users/benchreader/subscriptions", "/users/benchreader/inbox"}) end},
}

function request()
  local r = math.random(100)
  local path
  for _, k in ipairs(kinds) do
    r = r - k[1]
    if r <= 0 then path = k[2](); break end
  end
  path = path or "/"
  if path:sub(1, 6) == "MEMBER" then
    return wrk.format("GET", path:sub(7), {["Cookie"] = cookie})
  end
  if math.random(100) <= 39 then
    return wrk.format("GET", path, {["Cookie"] = cookie})
  end
  return wrk.format("GET", path)
end
