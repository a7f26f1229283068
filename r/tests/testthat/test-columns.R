# What a column may be: its shape (one value per row), its class (a
# classed number is read only when its storage is its value), list
# columns, the id column and Dates (issue 30).

five <- function() {
    data.frame(sex = c("male", "female", "male", "female", "male"), age_years = c(80, 81, 82, 83, 84),
               grip_kg = c(20, 21, 22, 23, 24))
}

# An R double holding the bits of 64-bit integers (bit64's integer64, as
# RPostgres returns a bigint): lo and hi are the two 32-bit halves.
int64_bits <- function(lo, hi = rep(0L, length(lo))) {
    readBin(writeBin(as.vector(rbind(as.integer(lo), as.integer(hi))), raw()), "double", n = length(lo))
}

test_that("the row count is the data frame's: a matrix or data frame column never sets it", {
    want <- classify(five())
    # a data-frame column (ignored: no field's name) first
    df <- data.frame(x = 1:5)
    df$x <- data.frame(a = 1:5, b = 1:5)
    df <- cbind(df["x"], five())
    r <- classify(df)
    expect_equal(nrow(r), 5)
    expect_identical(unclass(r)[names(r)], unclass(want)[names(want)])
    expect_equal(prevalence(df, by = character(0))$n, prevalence(five(), by = character(0))$n)
    # an ignored matrix column first is no field: ignored
    df <- five()
    df$pca <- matrix(1:10, 5)
    df <- df[c("pca", "sex", "age_years", "grip_kg")]
    expect_identical(classify(df), want)
    # a one-column matrix is a column
    df <- five()
    df$grip_kg <- matrix(df$grip_kg, 5)
    expect_identical(classify(df), want)
})

test_that("a field's matrix or data-frame column is refused, naming it", {
    df <- five()
    df$grip_kg <- matrix(c(20, 21, 22, 23, 24, 40, 41, 42, 43, 44), 5)
    e <- tryCatch(classify(df), error = function(e) e)
    expect_s3_class(e, "sarx_error")
    expect_match(conditionMessage(e), "\"grip_kg\" is a matrix of 2 columns")
    expect_equal(e$field, "grip_kg")
    df <- data.frame(grip_kg = I(matrix(c(20, 21, 22, 23, 24, 40, 41, 42, 43, 44), 5)))
    df$sex <- c("male", "female", "male", "female", "male")
    expect_error(prevalence(df, by = character(0)), "\"grip_kg\" is a matrix", class = "sarx_error")
    expect_error(assess(df), "\"grip_kg\" is a matrix", class = "sarx_error")
    df <- five()
    df$grip_kg <- data.frame(left = 1:5, right = 1:5)
    expect_error(classify(df), "\"grip_kg\" is a data frame", class = "sarx_error")
    expect_error(classify(list(sex = rep("male", 5), grip_kg = matrix(1:10, 5))), "\"grip_kg\" is a matrix",
                 class = "sarx_error")
    # a data frame whose column is shorter than its rows (made by hand)
    bad <- structure(list(sex = c("male", "male", "male"), grip_kg = c(20, 30)), class = "data.frame",
                     row.names = 1:3)
    expect_error(classify(bad), "\"grip_kg\" has 2 values for 3 rows", class = "sarx_error")
})

test_that("integer64 is read as its integers", {
    skip_if(.Platform$endian != "little")
    g <- structure(int64_bits(c(18L, 45L, 0L), c(0L, 0L, NA_integer_)), class = "integer64") # NA: INT64_MIN
    df <- data.frame(sex = c("male", "male", "male"), age_years = c(80, 80, 80))
    df$grip_kg <- g
    r <- classify(df, definitions = "ewgsop2")
    want <- classify(data.frame(sex = c("male", "male", "male"), age_years = c(80, 80, 80),
                                grip_kg = c(18, 45, NA)), definitions = "ewgsop2")
    expect_identical(r, want)
    expect_equal(nrow(errors(r)), 0)
    g45 <- structure(unclass(g)[2], class = "integer64") # (bit64's `[` keeps the class; base R's does not)
    a <- assess(list(sex = "male", age_years = 80, grip_kg = g45), definitions = "ewgsop2")
    grip <- Filter(function(e) e$input == "grip_kg", a$results[[1]]$criteria[[1]]$evidence)[[1]]
    expect_equal(grip$value, 45)
    # a value out of range is rejected as its integer, with its digits
    big <- structure(int64_bits(c(0L, 1000L)), class = "integer64")
    e <- errors(classify(data.frame(grip_kg = I(big))))
    expect_equal(e$row, 2L)
    expect_equal(e$value, "1000")
})

test_that("a classed number other than a Date, a factor or plain numbers is refused", {
    e <- tryCatch(classify(data.frame(grip_kg = 20, tug_s = as.difftime(0.2, units = "mins"))),
                  error = function(e) e)
    expect_s3_class(e, "sarx_error")
    expect_match(conditionMessage(e), "\"tug_s\" is of class difftime")
    expect_match(conditionMessage(e), "plain numbers")
    expect_equal(e$field, "tug_s")
    expect_equal(e$code, "type")
    expect_error(classify(list(weight_kg = structure(70, units = list(), class = "units"))),
                 "class units", class = "sarx_error")
    expect_error(assess(list(tug_s = as.difftime(12, units = "secs"))), "class difftime", class = "sarx_error")
    # an ignored classed column is not read
    expect_equal(nrow(classify(data.frame(grip_kg = 20, wait = as.difftime(3, units = "hours")))), 1)
    # plain numbers under AsIs, and labelled codes (haven), are their numbers
    want <- classify(data.frame(sex = c("male", "female"), grip_kg = c(20, 30)))
    expect_identical(classify(data.frame(sex = c("male", "female"), grip_kg = I(c(20, 30)))), want)
    lab <- structure(c(1, 2), labels = c(male = 1, female = 2), class = c("haven_labelled", "vctrs_vctr", "double"))
    got <- classify(data.frame(sex = lab, grip_kg = c(20, 30)),
                    map = data.frame(column = "sex", from = c("1", "2"), to = c("male", "female")))
    expect_identical(got, want)
})

test_that("list columns are read by the field their name gives, any case or renamed", {
    lst <- list(c("copd", "cancer"), NULL)
    want <- classify(list(sex = c("male", "female"), conditions = lst), definitions = "fearon2011")
    expect_identical(classify(list(sex = c("male", "female"), Conditions = lst), definitions = "fearon2011"), want)
    expect_identical(classify(list(sex = c("male", "female"), dx = lst), definitions = "fearon2011",
                              map = c(dx = "conditions")), want)
    df <- data.frame(sex = c("male", "female"))
    df$MEDICATIONS <- I(list(character(0), "prednisolone"))
    expect_equal(nrow(errors(classify(df))), 0)
    # a list column that feeds no field is ignored; one that feeds a number field is refused
    df$notes <- list(1, "a")
    expect_equal(nrow(classify(df)), 2)
    expect_error(classify(data.frame(grip_kg = I(list(1, 2)))), "type list", class = "sarx_error")
})

test_that("the id column is not read", {
    want <- classify(data.frame(grip_kg = c(20, 30)))
    df <- data.frame(grip_kg = c(20, 30))
    df$id <- list(1, 2)
    expect_identical(classify(df), want)
    expect_identical(classify(data.frame(grip_kg = c(20, 30), id = complex(real = 1:2, imaginary = 0))), want)
    expect_identical(classify(data.frame(grip_kg = c(20, 30), ID = as.difftime(1:2, units = "days"))), want)
})

test_that("a Date with a fraction of a day is its day, as R prints it", {
    d <- as.Date(c("2020-06-01", "1969-12-31", "2024-02-29")) + c(0.5, 0.25, 0.99)
    expect_identical(format(d), c("2020-06-01", "1969-12-31", "2024-02-29"))
    r <- classify(data.frame(assessment_date = d, grip_kg = 20))
    expect_equal(nrow(errors(r)), 0)
    expect_identical(r, classify(data.frame(assessment_date = format(d), grip_kg = 20)))
    expect_identical(assess(list(assessment_date = d[1], grip_kg = 20)),
                     assess(list(assessment_date = "2020-06-01", grip_kg = 20)))
})
