-- wrk script: POST /api/v1/assess with one complete subject (docs/PERFORMANCE.md).
local token = os.getenv("SARX_TOKEN")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.path = "/api/v1/assess"
wrk.body = '{"sex":"female","age_years":78,"height_cm":158,"weight_kg":52.5,"grip_kg":15.5,'
    .. '"chair_stand_5x_s":17.2,"gait_speed_m_s":0.72,"asm_kg":13.1,"calf_circumference_cm":30.5,'
    .. '"sarc_f":5,"assessment_date":"2026-06-01","weight_history":[{"date":"2025-12-01","weight_kg":56.0}],'
    .. '"reduced_intake":true,"crp_mg_l":12}'
