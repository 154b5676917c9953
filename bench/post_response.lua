-- wrk script: POST a valid response with a fresh random event_id on every request.
local path = os.getenv("BENCH_PATH")
local headers = {
  ["Content-Type"] = "text/plain;charset=UTF-8",
  ["Origin"] = "https://shop.example",
  ["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    .. "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
}
local hex = "0123456789abcdef"

local function uuid4()
  local out = {}
  for i = 1, 36 do
    if i == 9 or i == 14 or i == 19 or i == 24 then
      out[i] = "-"
    elseif i == 15 then
      out[i] = "4"
    else
      local n = math.random(1, 16)
      out[i] = hex:sub(n, n)
    end
  end
  return table.concat(out)
end

function setup(thread)
  thread:set("seed", math.random(1, 2 ^ 30))
end

function init(args)
  math.randomseed(seed + os.time())
end

function request()
  local body = string.format(
    '{"metric":"csat","score":%d,"comment":"Checkout was quick","hp":"",' ..
    '"page":{"url":"https://shop.example/checkout/pay?step=2&utm_source=mail",' ..
    '"title":"Pay","referrer":"https://www.google.com/"},"locale":"nl-NL",' ..
    '"tags":{"plan":"pro"},"event_id":"%s"}',
    math.random(1, 5), uuid4())
  return wrk.format("POST", path, headers, body)
end
