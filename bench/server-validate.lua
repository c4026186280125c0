-- wrk: POST /api/v1/validate with one valid key (KW_TOKEN, KW_KEY from the environment).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KW_TOKEN")
wrk.body = '{"license_key":"' .. os.getenv("KW_KEY") .. '"}'
