#!/bin/sh
# The R package's testthat tests against the package installed in
# BUILD/r-lib (r/r.mk): sh r/run-tests.sh BUILD, from the top of the
# repository.  The last line is "r: N passed, N failed" (expectations).
# A package built with AddressSanitizer (make SAN=1) loads into R only with
# the ASan runtime preloaded: this script finds it and preloads it.  Without
# R (and CI unset) there is nothing to test: "r: 0 passed, 0 failed".
BUILD=${1:-build}
if ! command -v Rscript >/dev/null 2>&1 && [ "${CI:-}" != true ]; then
    echo "r: R not found: the R package is not built, nothing to test"
    echo "r: 0 passed, 0 failed"
    exit 0
fi
LIB=$(cd "$BUILD/r-lib" 2>/dev/null && pwd) ||
    { echo "r: no $BUILD/r-lib: the package is not built (make)"; echo "r: 0 passed, 1 failed"; exit 1; }
so=$LIB/sarx/libs/sarx.so
pre=
if nm -D --undefined-only "$so" 2>/dev/null | grep -q '__asan_'; then
    pre=$(ldd "$so" 2>/dev/null | awk '/libasan/ { print $3; exit }')
    [ -n "$pre" ] || pre=$(${CC:-cc} -print-file-name=libasan.so 2>/dev/null)
fi
export R_LIBS="$LIB" SARX_SOURCE="$(pwd)" SARX_CLI="$(pwd)/$BUILD/sarx"
if [ -n "$pre" ]; then
    export LD_PRELOAD="$pre${LD_PRELOAD:+:$LD_PRELOAD}" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
fi
exec Rscript -e '
testthat::set_max_fails(Inf)
options(cli.dynamic = FALSE, cli.num_colors = 1)
res <- testthat::test_dir("r/tests/testthat", package = "sarx", load_package = "installed",
                          reporter = testthat::ProgressReporter$new(show_praise = FALSE, update_interval = Inf),
                          stop_on_failure = FALSE, stop_on_warning = FALSE)
d <- as.data.frame(res)
failed <- sum(d$failed) + sum(d$error)
passed <- sum(d$nb) - sum(d$failed) - sum(d$skipped)
cat(sprintf("r: %d passed, %d failed\n", passed, failed))
quit(status = if (failed > 0) 1 else 0)'
