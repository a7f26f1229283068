# The R package's speed (docs/PERFORMANCE.md, docs/R.md):
#   R_LIBS=build/r-lib Rscript bench/r_classify.R build/sarx [ROWS] [RUNS]
# ROWS (default 1,000,000) synthetic rows (`sarx synth --seed 42`) are read
# into a data frame outside the timing; then, alternately, RUNS times each:
#   A  classify(df): every definition, every row, into factor columns
#   B  prevalence(df): the same classification, counts only
#   C  the baseline: `sarx cohort FILE --threads 1` on the same rows (the
#      C engine reading the CSV text itself), timed around the command
# and the medians are printed with A/C and B/C.  Peak memory: gc()'s
# maximum of R's heap during classify() against the input frame and the
# output columns (R's own heap only; the C side's block buffers are a
# small constant: docs/R.md).
args <- commandArgs(trailingOnly = TRUE)
cli <- if (length(args) >= 1) args[1] else "build/sarx"
rows <- if (length(args) >= 2) as.integer(args[2]) else 1000000L
runs <- if (length(args) >= 3) as.integer(args[3]) else 5L
suppressPackageStartupMessages(library(sarx))
csv <- tempfile(fileext = ".csv")
on.exit(unlink(csv))
system2(cli, c("synth", rows, "--seed", "42", "-o", csv))
df <- read.csv(csv, stringsAsFactors = FALSE)
ndef <- nrow(definitions())
cat(sprintf("sarx %s, R %s; %d rows x %d columns, %d definitions; %d runs each, alternated\n", sarx_version(),
            getRversion(), nrow(df), ncol(df), ndef, runs))
tA <- tB <- tC <- numeric(0)
for (i in seq_len(runs)) {
    tA <- c(tA, system.time(r <- classify(df))[["elapsed"]])
    tB <- c(tB, system.time(p <- prevalence(df))[["elapsed"]])
    tC <- c(tC, system.time(system2(cli, c("cohort", csv, "--threads", "1", "--quiet"), stdout = FALSE,
                                    stderr = FALSE))[["elapsed"]])
    rm(r, p)
}
m <- function(x) stats::median(x)
cat(sprintf("A classify(df):          %.3f s  %.2f M rows/s  (runs: %s)\n", m(tA), rows / m(tA) / 1e6,
            paste(sprintf("%.3f", tA), collapse = " ")))
cat(sprintf("B prevalence(df):        %.3f s  %.2f M rows/s  (runs: %s)\n", m(tB), rows / m(tB) / 1e6,
            paste(sprintf("%.3f", tB), collapse = " ")))
cat(sprintf("C sarx cohort --threads 1: %.3f s  %.2f M rows/s  (runs: %s)\n", m(tC), rows / m(tC) / 1e6,
            paste(sprintf("%.3f", tC), collapse = " ")))
cat(sprintf("A/C %.2f  B/C %.2f\n", m(tA) / m(tC), m(tB) / m(tC)))
invisible(gc(reset = TRUE))
before <- sum(gc()[, 2])
r <- classify(df)
peak <- sum(gc()[, 6])
cat(sprintf("memory: input frame %.0f MB, output columns %.0f MB, R heap peak during classify() %.0f MB above the start\n",
            as.numeric(object.size(df)) / 2^20, as.numeric(object.size(r)) / 2^20, peak - before))
