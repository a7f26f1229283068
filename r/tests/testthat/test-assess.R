test_that("assess() gives the full result as a list", {
    a <- assess(list(sex = "female", age_years = 84, height_cm = 160, grip_kg = 12, asm_kg = 12.8,
                     gait_speed_m_s = 0.6))
    expect_type(a, "list")
    expect_true(all(c("results", "guidance", "subject") %in% names(a)))
    ew <- Filter(function(r) r$definition == "ewgsop2", a$results)[[1]]
    expect_identical(ew$category, "severe_sarcopenia")
    expect_true(ew$complete)
    expect_true(length(ew$criteria) >= 3)
    expect_true(all(c("id", "status", "evidence") %in% names(ew$criteria[[1]])))
    # missing inputs, nothing imputed
    b <- assess(list(sex = "female", grip_kg = 12))
    ew <- Filter(function(r) r$definition == "ewgsop2", b$results)[[1]]
    expect_false(ew$complete)
    expect_true(length(ew$missing) > 0)
    # JSON text, with a weight history
    j <- assess('{"sex":"male","age_years":70,"grip_kg":35}')
    expect_identical(Filter(function(r) r$definition == "ewgsop2", j$results)[[1]]$category, "no_sarcopenia")
    # lists
    c1 <- assess(list(sex = "male", age_years = 70, conditions = c("copd", "heart failure")))
    expect_type(c1, "list")
    # guidance off
    expect_null(assess(list(sex = "male"), guidance = FALSE)$guidance)
})

test_that("assess() errors name the field; a data frame gives one result per row", {
    e <- tryCatch(assess(list(sex = "female", grip_kg = 500)), error = function(e) e)
    expect_s3_class(e, "sarx_error")
    expect_equal(e$field, "grip_kg")
    expect_equal(e$code, "range")
    expect_error(assess('{"grip_kg": "x"'), class = "sarx_error")
    df <- data.frame(sex = c("male", "female"), grip_kg = c(35, 500))
    r <- assess(df)
    expect_length(r, 2)
    expect_true("results" %in% names(r[[1]]))
    expect_equal(r[[2]]$error$field, "grip_kg")
})

test_that("fields() and definitions() as data frames", {
    f <- fields()
    expect_s3_class(f, "data.frame")
    expect_true(all(c("name", "canonical", "kind", "unit", "min", "max", "values", "description") %in% names(f)))
    expect_true("grip_kg" %in% f$name)
    expect_equal(f$canonical[f$name == "weight_lb"], "weight_kg")
    d <- definitions()
    expect_true(all(c("id", "title", "kind", "categories", "positive", "citation") %in% names(d)))
    expect_true("ewgsop2" %in% d$id)
    expect_equal(definitions("ewgsop2")$id, "ewgsop2")
    expect_match(sarx_version(), "^[0-9]+\\.[0-9]+\\.[0-9]+")
})
