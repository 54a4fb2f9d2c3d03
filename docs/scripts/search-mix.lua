-- wrk script: GET /api/v1/search with the query mix of `stocktaking load`
-- (cmd/stocktaking/load.go, searchQuery): one or two common words (no text
-- one time in ten) and zero to three filters, drawn with a fixed seed per
-- thread. Responses are requested gzip-compressed, as browsers do.
--
--   wrk -t1 -c32 -d60s --latency -s docs/scripts/search-mix.lua http://127.0.0.1:8080
--
-- Non-2xx answers are counted by wrk ("Non-2xx or 3xx responses").

local words = {
  "health", "education", "digital", "women", "rural", "mobile", "government", "agriculture", "broadband",
  "cybersecurity", "youth", "data", "innovation", "school", "climate", "water", "literacy", "access",
  "open", "skills", "e-learning", "connectivity", "community", "online", "services", "africa", "library",
}

local filters = {
  {"country", {"KEN", "FRA", "IND", "BRA", "EGY", "USA", "XIN", "CHN", "NGA", "MEX"}},
  {"sdg", {"1", "3", "4", "5", "8", "9", "10", "16", "17"}},
  {"action_line", {"C1", "C2", "C3", "C4", "C5", "C7", "C7.1", "C7.3", "C7.4", "C10"}},
  {"region", {"africa", "americas", "arab-states", "asia-pacific", "cis", "europe"}},
  {"stakeholder", {"government", "private-sector", "civil-society", "academia"}},
  {"year", {"2008", "2012", "2015", "2018", "2020", "2023"}},
}

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(seed or 1)
end

local function pick(t) return t[math.random(#t)] end

request = function()
  local parts = {}
  local q = pick(words)
  if math.random(2) == 1 then q = q .. "+" .. pick(words) end
  if math.random(10) > 1 then parts[#parts + 1] = "q=" .. q end
  -- zero to three distinct filters
  local order = {1, 2, 3, 4, 5, 6}
  for i = #order, 2, -1 do
    local j = math.random(i)
    order[i], order[j] = order[j], order[i]
  end
  for i = 1, math.random(4) - 1 do
    local f = filters[order[i]]
    parts[#parts + 1] = f[1] .. "=" .. pick(f[2])
  end
  return wrk.format("GET", "/api/v1/search?" .. table.concat(parts, "&"), {["Accept-Encoding"] = "gzip"})
end
