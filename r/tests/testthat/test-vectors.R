# Every case of tests/vectors/*.txt through classify(), one typed row each,
# with the expected category and completeness or the expected rejection
# (the cases `sarx cohort` can carry: see case_frame); and the expected
# missing inputs through assess() of the same row.  One expectation per
# file, listing every case that fails (testthat's expectations are slow
# enough to double the run when made per check).

check_case <- function(case, where) {
    bad <- character(0)
    df <- case_frame(case)
    if (is.null(df))
        return(NULL)
    r <- classify(df)
    e <- errors(r)
    if (!is.null(case$error)) {
        if (nrow(e) != 1)
            return(sprintf("%s: %d errors, expected one naming %s", where, nrow(e), case$error[["field"]]))
        if (e$row != 1L || !grepl(case$error[["field"]], paste(e$field, e$message), fixed = TRUE))
            bad <- c(bad, sprintf("%s: error %s, expected one naming %s", where, e$message, case$error[["field"]]))
        if (!is.na(r[[1]][1]))
            bad <- c(bad, sprintf("%s: a rejected row is classified", where))
        return(bad)
    }
    if (nrow(e))
        return(sprintf("%s: rejected: %s", where, paste(e$message, collapse = "; ")))
    a <- NULL
    for (x in case$expect) {
        f <- r[[x$def]]
        if (is.null(f)) {
            bad <- c(bad, sprintf("%s: no column %s", where, x$def))
            next
        }
        if (!identical(as.character(f[1]), x$cat))
            bad <- c(bad, sprintf("%s: %s is %s, expected %s", where, x$def, f[1], x$cat))
        if (levels(f)[nlevels(f)] != "indeterminate")
            bad <- c(bad, sprintf("%s: %s's last level is not indeterminate", where, x$def))
        if (!is.na(x$complete) && !identical(r[[paste0(x$def, "_complete")]][1], x$complete))
            bad <- c(bad, sprintf("%s: %s complete is %s", where, x$def, r[[paste0(x$def, "_complete")]][1]))
        if (!is.na(x$missing)) {
            if (is.null(a))
                a <- assess(df, guidance = FALSE)
            res <- Filter(function(z) z$definition == x$def, a$results)[[1]]
            want <- if (x$missing == "") character(0) else strsplit(x$missing, ",")[[1]]
            got <- as.character(unlist(res$missing))
            if (!setequal(got, want))
                bad <- c(bad, sprintf("%s: %s missing [%s], expected [%s]", where, x$def, paste(got, collapse = ","),
                                      x$missing))
        }
    }
    bad
}

files <- Sys.glob(file.path(Sys.getenv("SARX_SOURCE"), "tests", "vectors", "*.txt"))
test_that("the vector files are there", {
    sarx_source()
    expect_gt(length(files), 20)
})
ran <- 0
for (f in files) {
    test_that(paste("vectors through classify():", basename(f)), {
        bad <- character(0)
        for (case in read_vectors(f)) {
            b <- check_case(case, sprintf("%s:%d: %s", basename(f), case$line, case$name))
            if (!is.null(b))
                ran <<- ran + 1
            bad <- c(bad, b)
        }
        expect_identical(bad, character(0))
    })
}
test_that("most cases run as rows", {
    sarx_source()
    expect_gt(ran, 1000)
})
