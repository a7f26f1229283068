# classify(), prevalence() and kappa() against `sarx cohort` on the same
# synthetic file with bad rows: the same categories row by row, the same
# rejected rows, the same summary (prevalence by sex and age band, kappa).

cohort_files <- function() {
    cli <- sarx_cli()
    dir <- tempfile("sarx-r-")
    dir.create(dir)
    raw <- file.path(dir, "raw.csv")
    system2(cli, c("synth", "3000", "--seed", "11", "--bad", "0.05", "-o", raw))
    # rows with a wrong number of cells have no form in a data frame (read.csv
    # would pad them): leave them out of both sides
    n <- count.fields(raw, sep = ",", quote = "\"", blank.lines.skip = FALSE)
    lines <- readLines(raw)
    keep <- c(TRUE, n[-1] == n[1])
    csv <- file.path(dir, "in.csv")
    writeLines(lines[keep], csv)
    out <- file.path(dir, "rows.csv")
    err <- file.path(dir, "errors.csv")
    sum <- file.path(dir, "summary.json")
    st <- system2(cli, c("cohort", csv, "-o", out, "--errors", err, "--summary", sum, "--quiet"),
                  stdout = FALSE, stderr = FALSE)
    list(dir = dir, csv = csv, rows = read.csv(out, colClasses = "character"),
         errors = read.csv(err, colClasses = "character"),
         summary = sarx:::assessment(paste(readLines(sum, warn = FALSE), collapse = "\n")), status = st,
         dropped = sum(!keep))
}

test_that("classify() gives sarx cohort's categories and rejects the same rows", {
    f <- cohort_files()
    on.exit(unlink(f$dir, recursive = TRUE))
    expect_gt(f$dropped, 0)
    expect_equal(f$status, 1) # some rows are rejected on purpose
    for (typed in c(TRUE, FALSE)) {
        df <- if (typed) read.csv(f$csv) else read.csv(f$csv, colClasses = "character")
        r <- classify(df)
        expect_equal(nrow(r), nrow(df)) # rows in = rows out
        e <- errors(r)
        expect_gt(nrow(e), 50)
        expect_equal(sort(e$row), sort(as.integer(f$errors$row)))
        expect_equal(e$message[order(e$row)], f$errors$message[order(as.integer(f$errors$row))])
        ok <- as.integer(f$rows$row)
        expect_equal(length(ok) + nrow(e), nrow(df))
        for (d in definitions()$id) {
            expect_identical(as.character(r[[d]][ok]), f$rows[[d]], info = d)
            expect_identical(r[[paste0(d, "_complete")]][ok], f$rows[[paste0(d, "_complete")]] == "true", info = d)
            expect_true(all(is.na(r[[d]][e$row])))
        }
    }
})

test_that("prevalence() and kappa() are sarx cohort's numbers", {
    f <- cohort_files()
    on.exit(unlink(f$dir, recursive = TRUE))
    df <- read.csv(f$csv)
    p <- prevalence(df)
    s <- attr(p, "summary")
    expect_equal(s$rows, f$summary$rows)
    expect_equal(s$rejected, f$summary$rejected)
    expect_identical(s$definitions, f$summary$definitions)
    expect_identical(s$agreement, f$summary$agreement)
    expect_identical(s$strata, f$summary$strata)
    # each stratum's kind as the summary names it; a summary without the names reads as before
    expect_identical(names(s$stratum_kinds), unlist(s$strata))
    expect_identical(sarx:::stratum_kind(s), sarx:::stratum_kind(s[setdiff(names(s), "stratum_kinds")]))
    renamed <- s
    renamed$stratum_kinds[["70-79"]] <- "sex"
    expect_identical(sarx:::stratum_kind(renamed)[unlist(s$strata) == "70-79"], "sex")
    # the data frame is the summary's numbers
    for (d in f$summary$definitions) {
        for (g in names(d$by)) {
            row <- p[p$definition == d$definition & p$group == g, ]
            expect_equal(nrow(row), 1)
            expect_equal(row$n, d$by[[g]]$n)
            expect_equal(row$positive, d$by[[g]]$positive$count)
            expect_equal(row$reading_decided, d$by[[g]]$positive$of)
            if (is.na(d$by[[g]]$positive$prevalence[1])) {
                expect_true(is.na(row$prevalence))
            } else {
                expect_equal(row$prevalence, d$by[[g]]$positive$prevalence)
                expect_equal(c(row$ci95_lower, row$ci95_upper), d$by[[g]]$positive$ci95)
            }
        }
    }
    expect_setequal(unique(p$by), c("all", "sex", "age_band"))
    expect_setequal(unique(prevalence(df, by = "sex")$by), c("all", "sex"))
    expect_setequal(unique(prevalence(df, by = character(0))$by), "all")
    pc <- prevalence(df, definitions = "ewgsop2", by = "age_band", categories = TRUE)
    expect_setequal(unique(pc$category), strsplit(definitions("ewgsop2")$categories, "|", fixed = TRUE)[[1]])
    a <- f$summary$agreement[[1]]
    k <- kappa(df, a$a, a$b)
    expect_equal(k$kappa, a$kappa)
    expect_equal(k$agreement, a$agreement)
    expect_equal(c(k$both, k$a_only, k$b_only, k$neither), unlist(a$table))
    k2 <- kappa(df, a$b, a$a) # the other way round: the same kappa, the table transposed
    expect_equal(k2$kappa, a$kappa)
    expect_equal(c(k2$a_only, k2$b_only), c(k$b_only, k$a_only))
    expect_error(kappa(df, "ewgsop2", "ewgsop2"), "different")
    expect_error(kappa(df, "ewgsop2", "nosuch"), class = "sarx_error")
})

test_that("kappa() names its definitions as the library resolves them", {
    df <- data.frame(sex = c("female", "male", "female", "male"), age_years = c(84, 70, 66, 90),
                     grip_kg = c(12, 40, 25, 20), height_cm = c(160, 180, 165, 170), asm_kg = c(12, 25, 16, 17))
    k <- kappa(df, "ewgsop2", "awgs2019")
    expect_equal(c(k$a, k$b), c("ewgsop2", "awgs2019"))
    expect_identical(kappa(df, "ewgsop2 ", " AWGS2019"), k)
    expect_identical(kappa(df, "EWGSOP2", "awgs2019"), k)
    expect_error(kappa(df, "ewgsop2 ", "EWGSOP2"), "different")
    expect_error(kappa(df, "sarcopenia", "ewgsop2"), "one definition")
})
