-- wrk: a mix of outcomes on POST /api/v1/validate, one after another on every connection:
-- active keys (KW_KEYS, comma separated), unknown keys, malformed keys (invalid_format), a revoked
-- key (KW_REVOKED), a domain-bound key asked for the wrong domain (KW_DOMAIN_KEY), and requests
-- with a wrong API key (401).
local token = os.getenv("KW_TOKEN")
local keys = {}
for k in string.gmatch(os.getenv("KW_KEYS"), "[^,]+") do keys[#keys + 1] = k end
local bodies = {}
local auth = {}
local function add(body, bearer) bodies[#bodies + 1] = body; auth[#auth + 1] = bearer end
for i = 1, 5 do add('{"license_key":"' .. keys[(i % #keys) + 1] .. '"}', token) end
add('{"license_key":"' .. os.getenv("KW_UNKNOWN") .. '"}', token)
add('{"license_key":"PE-SHORT"}', token)
add('{"license_key":"' .. os.getenv("KW_REVOKED") .. '"}', token)
add('{"license_key":"' .. os.getenv("KW_DOMAIN_KEY") .. '","domain":"wrong.example.com"}', token)
add('{"license_key":"' .. keys[1] .. '"}', "kw_wrong_api_key")
local n = 0
request = function()
  n = n + 1
  local i = (n % #bodies) + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. auth[i]}, bodies[i])
end
local statuses = {}
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end
