-- wrk script of b24-sim.js: POST crm.lead.get {"id":<lead>} (the lead id is wrk's first argument
-- after `--`). A 200 whose body is not that lead is counted as wrong, so a broken simulator cannot
-- score: by itself wrk counts only non-2xx answers.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.body = '{"id":' .. args[1] .. '}'
  wrk.headers["Content-Type"] = "application/json"
  expected = '{"result":{"ID":"' .. args[1] .. '"'
  wrong = 0
end

function response(status, headers, body)
  if status == 200 and body:sub(1, #expected) ~= expected then
    wrong = wrong + 1
  end
end

-- Each thread has its own Lua state; their counts are summed here, in the main one.
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("wrong")
  end
  io.write(string.format("wrong bodies: %d\n", total))
end
