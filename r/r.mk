# The R package (r/, docs/R.md), included by the top Makefile.
#   make            also installs the package into $(BUILD)/r-lib, built
#                   against $(BUILD)/libsarx.a (when R is found: a one-line
#                   notice otherwise; CI=true: an error)
#   make check      builds it first; r/run-tests.sh runs its testthat tests
#   make r-check    R CMD build + R CMD check --no-manual (CI runs it apart):
#                   fails on an ERROR or a WARNING
#   make bench-r    bench/r_classify.R: 1,000,000 rows through classify()
# The package is built from a copy of r/ in $(BUILD)/r-src: R CMD INSTALL
# writes its objects beside the sources, and two builds (build/, build-san/)
# must not share them.  Its C code is compiled by the library's compiler
# (CC, through R_MAKEVARS_USER) with the library's warnings, as errors.  Under
# SAN=1 its C code gets the sanitizers of the library it links
# (build-san/libsarx.a: ASan + UBSan), and r/run-tests.sh preloads the ASan
# runtime into R, which is not built with it (leaks are R's business: not
# checked).
R_CMD   ?= R
R_FOUND := $(shell command -v $(R_CMD) 2>/dev/null)
R_LIB    = $(BUILD)/r-lib
R_SRC    = $(BUILD)/r-src
R_FILES  = $(wildcard r/R/*.R r/src/*.c r/src/*.h) r/DESCRIPTION r/NAMESPACE r/configure r/cleanup r/src/Makevars.in
R_CFLAGS = $(STD) $(WARN) $(SANFLAGS)

.PHONY: r-pkg r-check bench-r
all: r-pkg
check: r-pkg
bench: bench-r

ifeq ($(R_FOUND),)
r-pkg:
ifeq ($(CI),true)
	@echo "sarx: R not found: CI must build the R package (apt-get install r-base-dev r-cran-testthat)" >&2; exit 1
else
	@echo "sarx: R not found: the R package is not built (apt-get install r-base-dev r-cran-testthat)"
endif
r-check bench-r:
	@echo "sarx: R not found"
else
r-pkg: $(R_LIB)/sarx/DESCRIPTION

$(R_LIB)/sarx/DESCRIPTION: $(R_FILES) $(BUILD)/libsarx.a include/sarx.h
	@rm -rf $(R_SRC) && mkdir -p $(R_LIB) && cp -R r $(R_SRC)
	@echo 'CC = $(CC)' >$(R_SRC)/Makevars.user
	SARX_BUILD=$(abspath $(BUILD)) SARX_INCLUDE=$(CURDIR)/include SARX_R_CFLAGS='$(R_CFLAGS)' \
	    SARX_R_LIBS='$(SANFLAGS)' R_MAKEVARS_USER=$(abspath $(R_SRC))/Makevars.user $(R_CMD) CMD INSTALL --no-test-load --library=$(R_LIB) $(R_SRC) >$(R_LIB)/install.log 2>&1 || \
	    { cat $(R_LIB)/install.log; exit 1; }
	@touch $@

r-check: $(BUILD)/libsarx.a
	@rm -rf $(BUILD)/r-check && mkdir -p $(BUILD)/r-check
	cd $(BUILD)/r-check && $(R_CMD) CMD build $(CURDIR)/r && \
	    SARX_BUILD=$(abspath $(BUILD)) SARX_INCLUDE=$(CURDIR)/include SARX_SOURCE=$(CURDIR) \
	    SARX_CLI=$(abspath $(BUILD))/sarx _R_CHECK_FORCE_SUGGESTS_=false \
	    $(R_CMD) CMD check --no-manual sarx_*.tar.gz
	@grep -Eq '^Status: (OK|[0-9]+ NOTEs?)$$' $(BUILD)/r-check/sarx.Rcheck/00check.log || \
	    { echo "sarx: R CMD check found an ERROR or a WARNING" >&2; exit 1; }

bench-r: r-pkg
	R_LIBS=$(abspath $(R_LIB)) Rscript bench/r_classify.R $(BUILD)/sarx
endif
