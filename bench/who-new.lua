-- wrk script for bench/server.sh: `who` with a question never asked before on every
-- request (a word with a counter appended), so that no answer is remembered: the cost
-- of searching and writing the answer. PATH: the lookup's path and query.
local path = os.getenv("WHO_PATH") or "/"
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  return wrk.format("GET", path .. "+r" .. tid .. "x" .. counter)
end
