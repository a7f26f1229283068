# The walk-through of r/README.md runs as it is: every ```r block, in
# order, in an empty directory, with the sarx command on the PATH.
test_that("r/README.md's walk-through runs", {
    src <- sarx_source()
    cli <- sarx_cli()
    lines <- readLines(file.path(src, "r", "README.md"), encoding = "UTF-8")
    code <- character(0)
    inside <- FALSE
    for (l in lines) {
        if (!inside && l == "```r") inside <- TRUE
        else if (inside && l == "```") inside <- FALSE
        else if (inside) code <- c(code, l)
    }
    expect_gt(length(code), 30)
    dir <- tempfile("sarx-readme-")
    dir.create(dir)
    old <- setwd(dir)
    path <- Sys.getenv("PATH")
    on.exit({
        setwd(old)
        Sys.setenv(PATH = path)
        unlink(dir, recursive = TRUE)
    })
    bin <- file.path(dir, "bin")
    dir.create(bin)
    file.symlink(normalizePath(cli), file.path(bin, "sarx"))
    Sys.setenv(PATH = paste(bin, path, sep = .Platform$path.sep))
    env <- new.env(parent = globalenv())
    out <- utils::capture.output(eval(parse(text = code), envir = env))
    # what the text says about the results
    r <- env$r
    expect_identical(as.character(r$ewgsop2[1:4]), c("severe_sarcopenia", "sarcopenia", "no_sarcopenia",
                                                     "indeterminate"))
    expect_equal(errors(r)$row, c(5L, 6L))
    expect_equal(errors(r)$field, c("sex", "age_years"))
    expect_equal(nrow(r), nrow(env$study))
    expect_identical(env$ew$category, "severe_sarcopenia")
    p <- env$p
    expect_true(all(c("18-29", "80+") %in% p$group))
    expect_true(file.exists(file.path(dir, "ewgsop2-by-age.png")))
    expect_gt(file.size(file.path(dir, "ewgsop2-by-age.png")), 10000)
})
