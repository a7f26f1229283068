-- wrk script: POST a visit to one of the patients 1..P (docs/PERFORMANCE.md).
-- Environment: SARX_TOKEN, SARX_PATIENTS (default 100).
local token = os.getenv("SARX_TOKEN")
local patients = tonumber(os.getenv("SARX_PATIENTS") or "100")
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
request = function()
    n = n + 1
    local body = string.format(
        '{"assessment_date":"2026-%02d-%02d","weight_kg":%.1f,"height_cm":165,"grip_kg":%.1f,"gait_speed_m_s":0.9}',
        1 + n % 12, 1 + n % 28, 60 + n % 15, 18 + n % 10)
    return wrk.format(nil, "/api/v1/patients/" .. (1 + n % patients) .. "/visits", nil, body)
end
