people <- function() {
    data.frame(
        sex = c("female", "male", NA, "female"),
        age_years = c(84, 79, 70, 200),
        height_cm = c(160, 170, NA, 160),
        grip_kg = c(12, 20, 35, 12),
        asm_kg = c(12.8, 18, NA, 16),
        gait_speed_m_s = c(0.6, 1.1, NA, NA),
        note = c("a", "b", "c", "d"),
        stringsAsFactors = FALSE, row.names = c("p1", "p2", "p3", "p4"))
}

test_that("one factor per definition, levels in order, a logical _complete", {
    r <- classify(people())
    defs <- definitions()
    expect_s3_class(r, "data.frame")
    expect_identical(names(r), as.vector(rbind(defs$id, paste0(defs$id, "_complete"))))
    for (i in seq_len(nrow(defs))) {
        expect_s3_class(r[[defs$id[i]]], "factor")
        expect_identical(levels(r[[defs$id[i]]]),
                         c(strsplit(defs$categories[i], "|", fixed = TRUE)[[1]], "indeterminate"))
        expect_type(r[[paste0(defs$id[i], "_complete")]], "logical")
    }
    expect_identical(rownames(r), c("p1", "p2", "p3", "p4"))
    expect_identical(as.character(r$ewgsop2[1:2]), c("severe_sarcopenia", "sarcopenia"))
    expect_identical(r$ewgsop2_complete[1:2], c(TRUE, TRUE))
})

test_that("a bad row is reported, the others still classified", {
    r <- classify(people())
    e <- errors(r)
    expect_equal(nrow(e), 1)
    expect_equal(e$row, 4L)
    expect_equal(e$code, "range")
    expect_equal(e$field, "age_years")
    expect_equal(e$value, "200")
    expect_false(is.na(e$allowed))
    expect_match(e$message, "age_years")
    expect_true(all(is.na(unlist(r[4, ]))))
    expect_false(anyNA(r$ewgsop2[1:3]))
})

test_that("NA is missing: nothing is imputed", {
    r <- classify(data.frame(sex = NA_character_, grip_kg = NA_real_, age_years = NA_integer_))
    expect_identical(as.character(r$ewgsop2), "indeterminate")
    expect_false(r$ewgsop2_complete)
    expect_equal(nrow(errors(r)), 0)
    # a missing grip leaves EWGSOP2 undecided where the grip would decide it
    r <- classify(data.frame(sex = "male", age_years = 70, grip_kg = c(35, NA)))
    expect_identical(as.character(r$ewgsop2), c("no_sarcopenia", "indeterminate"))
})

test_that("column types: integer, logical, factor, Date, named list", {
    base <- classify(data.frame(sex = "female", age_years = 84, height_cm = 160, grip_kg = 12, asm_kg = 12.8,
                                gait_speed_m_s = 0.6, cancer = FALSE))
    typed <- classify(data.frame(sex = factor("female", levels = c("male", "female")), age_years = 84L,
                                 height_cm = 160L, grip_kg = 12L, asm_kg = 12.8, gait_speed_m_s = 0.6,
                                 cancer = "false", stringsAsFactors = FALSE))
    expect_identical(typed, base)
    lst <- classify(list(sex = "female", age_years = 84, height_cm = 160, grip_kg = 12, asm_kg = 12.8,
                         gait_speed_m_s = 0.6, cancer = FALSE))
    expect_identical(unclass(lst)[names(lst)], unclass(base)[names(base)])
    expect_error(classify(list(sex = c("male", "female"), grip_kg = 1)), "same length")
    expect_error(classify(data.frame(grip_kg = I(list(1, 2)))), "type list")
    # a Date is a date: the same as its text
    d1 <- classify(data.frame(assessment_date = as.Date("2024-03-01"), sex = "male", grip_kg = 20))
    d2 <- classify(data.frame(assessment_date = "2024-03-01", sex = "male", grip_kg = 20))
    expect_identical(d1, d2)
    expect_equal(nrow(errors(classify(data.frame(assessment_date = "2024-13-45")))), 1)
})

test_that("tibbles in, tibbles out", {
    skip_if_not_installed("tibble")
    t <- tibble::as_tibble(people())
    r <- classify(t)
    expect_s3_class(r, "tbl_df")
    expect_equal(nrow(r), 4)
    expect_identical(as.character(r$ewgsop2[1]), "severe_sarcopenia")
    expect_equal(nrow(errors(r)), 1)
    expect_equal(prevalence(t)$n, prevalence(people())$n)
})

test_that("definitions= selects", {
    r <- classify(people(), definitions = c("ewgsop2", "cachexia"))
    ids <- definitions("cachexia")$id
    expect_identical(names(r), as.vector(rbind(c("ewgsop2", ids), paste0(c("ewgsop2", ids), "_complete"))))
    expect_error(classify(people(), definitions = "nosuch"), class = "sarx_error")
    e <- tryCatch(classify(people(), definitions = "nosuch"), error = function(e) e)
    expect_match(conditionMessage(e), "nosuch")
})

test_that("maps: renames and value maps, as a vector, a data frame or a map file", {
    df <- data.frame(SEX = c(2, 1), handgrip = c(12, 20), AGE = c(84, 79), stringsAsFactors = FALSE)
    want <- classify(data.frame(sex = c("female", "male"), grip_kg = c(12, 20), age_years = c(84, 79)))
    m <- data.frame(column = c("SEX", "handgrip", "AGE", "SEX", "SEX"),
                    field = c("sex", "grip_kg", "age_years", NA, NA),
                    from = c(NA, NA, NA, "1", "2"), to = c(NA, NA, NA, "male", "female"))
    expect_identical(classify(df, map = m), want)
    f <- tempfile(fileext = ".csv")
    on.exit(unlink(f))
    writeLines(c("SEX,sex", "handgrip,grip_kg", "AGE,age_years", "SEX,1,male", "SEX,2,female"), f)
    expect_identical(classify(df, map = f), want)
    # renames alone: sex coded 1/2 without a value map is not a sex
    r <- classify(df, map = c(SEX = "sex", handgrip = "grip_kg", AGE = "age_years"))
    expect_equal(nrow(errors(r)), 2)
    expect_equal(errors(r)$field, c("sex", "sex"))
    expect_error(classify(df, map = c(nosuch = "grip_kg")), class = "sarx_error")
    expect_error(classify(df, map = "/nonexistent/map.csv"), "not found")
})

test_that("NA codes", {
    df <- data.frame(sex = c("female", "female"), age_years = c(84, 84), grip_kg = c(12, -99),
                     height_cm = c(160, 160), asm_kg = c(12.8, 12.8), gait_speed_m_s = c(0.6, 0.6))
    r <- classify(df)
    expect_equal(errors(r)$row, 2L) # -99 kg is out of range
    r <- classify(df, na = c("-99", "NA"))
    expect_equal(nrow(errors(r)), 0)
    expect_identical(as.character(r$ewgsop2), c("severe_sarcopenia", "indeterminate"))
    df$sex[2] <- "unknown"
    expect_equal(nrow(errors(classify(df, na = "-99"))), 1)
    expect_equal(nrow(errors(classify(df, na = c("-99", "unknown")))), 0)
})

test_that("rows are processed in blocks with the same result", {
    df <- people()[rep(1:4, 2500), ]
    old <- options(sarx.block = 7L)
    on.exit(options(old))
    small <- classify(df)
    options(sarx.block = 4096L)
    big <- classify(df)
    expect_identical(small, big)
    expect_equal(errors(big)$row, seq(4L, 10000L, by = 4L))
})

test_that("ignored columns and empty frames", {
    r <- classify(data.frame(note = c("x", "y")))
    expect_equal(nrow(r), 2)
    expect_identical(as.character(r$ewgsop2), c("indeterminate", "indeterminate"))
    r0 <- classify(people()[0, ])
    expect_equal(nrow(r0), 0)
    expect_equal(nrow(errors(r0)), 0)
})

test_that("edge cases: no columns, zero rows, no definitions selected", {
    r <- classify(data.frame(row.names = 1:3))
    expect_equal(nrow(r), 3)
    expect_identical(as.character(r$ewgsop2), rep("indeterminate", 3))
    p <- prevalence(people()[0, ], definitions = "ewgsop2") # no strata, as `sarx cohort` on no rows
    expect_equal(nrow(p), 0)
    expect_true(all(c("definition", "group", "prevalence") %in% names(p)))
    p <- prevalence(people()[3, ], definitions = "ewgsop2", by = "sex")
    expect_equal(p$n[p$group == "all"], 1)
    expect_error(classify(people(), definitions = character(0)), class = "sarx_error")
    expect_error(classify(people(), na = 1), "character")
    expect_error(classify(1:3), "data frame")
    # two columns for one field
    e <- tryCatch(classify(data.frame(weight_kg = 70, weight_lb = 150)), error = function(e) e)
    expect_s3_class(e, "sarx_error")
})

test_that("conditions and medications as list columns", {
    df <- data.frame(sex = c("male", "male"), age_years = c(70, 70))
    df$conditions <- list(c("cancer"), character(0))
    txt <- data.frame(sex = c("male", "male"), age_years = c(70, 70), conditions = c("cancer", NA))
    expect_identical(classify(df), classify(txt))
})

test_that("an interrupt between blocks frees everything and leaves the package usable", {
    df <- people()[rep(1:4, 50000), ]
    old <- options(sarx.block = 64L)
    on.exit({
        setTimeLimit()
        options(old)
    })
    # a time limit is raised where an interrupt would be: between two blocks
    expect_error({
        setTimeLimit(elapsed = 0.001, transient = TRUE)
        classify(df)
    })
    setTimeLimit()
    r <- classify(df[1:8, ])
    expect_identical(as.character(r$ewgsop2[1]), "severe_sarcopenia")
})

test_that("an interrupt stays an interrupt, and a time limit its own error", {
    skip_on_os("windows")
    df <- people()[rep(1:4, 250000), ]
    old <- options(sarx.block = 16L)
    on.exit({
        setTimeLimit()
        options(old)
    })
    # Ctrl-C part way (a SIGINT from a child process; not from system(),
    # during which SIGINT is ignored): R's interrupt condition, not an error
    me <- Sys.getpid()
    child <- parallel::mcparallel({
        Sys.sleep(0.5)
        tools::pskill(me, tools::SIGINT)
        NULL
    })
    got <- tryCatch({
        for (k in 1:20) classify(df)
        "not interrupted"
    }, interrupt = function(e) "interrupt", error = function(e) conditionMessage(e))
    parallel::mccollect(child)
    expect_identical(got, "interrupt")
    # a time limit reached between two blocks is R's time-limit error
    e <- tryCatch({
        setTimeLimit(elapsed = 0.2, transient = TRUE)
        classify(df)
    }, error = function(e) e)
    setTimeLimit()
    expect_match(conditionMessage(e), "time limit")
    r <- classify(df[1:8, ])
    expect_identical(as.character(r$ewgsop2[1]), "severe_sarcopenia")
})
