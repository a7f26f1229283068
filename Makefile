# sarx — plain GNU Make.
#   make              library (static + shared) and the sarx command
#   make check        every test; the last line is "N passed, N failed"
#   make check SAN=1  the same under AddressSanitizer + UBSan (build-san/)
#   make fuzz         libFuzzer targets (clang), a short run each
#   make docs         regenerate docs/DEFINITIONS.md and docs/INPUT.md's field table from the tables
#   make man          regenerate man/sarx.1 and completion/sarx.bash from the option tables
#   make calibrate    fit the simulator's measurement mapping (prints it; docs/SIMULATOR.md)
#   make joint        how the simulator's combined criteria meet, by age and within an age
#   make install      PREFIX=/usr/local DESTDIR=

CC      ?= cc
.DEFAULT_GOAL := all
PREFIX  ?= /usr/local
DESTDIR ?=
# -O3: `sarx cohort` measured 3-4 % faster than with -O2 (perf stat
# task-clock, 9 alternations; docs/PERFORMANCE.md).  It changes no
# floating-point result: no -ffast-math, and whether a*b+c is fused is
# -ffp-contract's choice, not -O's.
CFLAGS  ?= -O3 -g
STD      = -std=c11
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wundef -Wvla
PKGS     = jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
# The server (registry + HTTP) is linked into the sarx command only, not libsarx.
SRV_PKGS   = sqlite3 libmicrohttpd libzstd
SRV_CFLAGS := $(shell pkg-config --cflags $(SRV_PKGS))
SRV_LIBS   := $(shell pkg-config --libs $(SRV_PKGS))
SOVERSION = 0
VERSION   = 0.1.0

ifeq ($(SAN),1)
BUILD   ?= build-san
SANFLAGS = -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS   = -O1 -g
else
BUILD   ?= build
SANFLAGS =
endif

ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) -Iinclude -Isrc $(PKG_CFLAGS) -fPIC -pthread
LIB_CFLAGS = $(ALL_CFLAGS) -fvisibility=hidden
LDLIBS     = $(PKG_LIBS) -lm

LIB_SRC = $(wildcard src/*.c) $(wildcard src/defs/*.c) $(wildcard src/sim/*.c)
CLI_SRC = $(wildcard cli/*.c)
SRV_SRC = $(wildcard server/*.c)
WEB     = $(sort $(wildcard server/web/*.html server/web/*.js server/web/*.css))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
SRV_OBJ = $(SRV_SRC:%.c=$(BUILD)/%.o) $(BUILD)/server/assets.o
HDRS    = include/sarx.h src/internal.h src/cohort_int.h src/guidance.h src/fhir_cs.h src/fhir_in.h src/defs/shared.h src/sim/sim.h cli/cli.h cli/cohort_run.h cli/numtext.h cli/progress.h cli/png.h cli/opts.h cli/simulate.h server/server.h \
          server/registry_int.h

TESTS   = $(BUILD)/tests/unit $(BUILD)/tests/unit_batch $(BUILD)/tests/unit_cohort $(BUILD)/tests/unit_assess \
          $(BUILD)/tests/vectors $(BUILD)/tests/csv $(BUILD)/tests/sim $(BUILD)/tests/api \
          $(BUILD)/tests/registry $(BUILD)/tests/http $(BUILD)/tests/http_slow $(BUILD)/tests/failsync.so \
          $(BUILD)/tests/readopts $(BUILD)/tests/hostjson $(BUILD)/tests/classify $(BUILD)/tests/columns \
          $(BUILD)/tests/columns_vectors $(BUILD)/tests/counts

# Stata, SPSS and SAS files (cli/statfile.c) are read with ReadStat
# (Debian libreadstat-dev, no pkg-config file), by the sarx command only:
# libsarx never links it.  tests/statfile and statfile_sarx write their files
# with ReadStat.
READSTAT_LIBS = -lreadstat
$(BUILD)/sarx: LDLIBS += $(READSTAT_LIBS)
$(CLI_OBJ): cli/statfile.h cli/statfile_text.h
TESTS += $(BUILD)/tests/statfile $(BUILD)/tests/statfile_sarx
$(BUILD)/tests/statfile $(BUILD)/tests/statfile_sarx: $(BUILD)/tests/%: tests/%.c tests/statkit.h cli/statfile.c \
        cli/statfile_text.c cli/statfile.h cli/statfile_text.h cli/numtext.h tests/harness.h $(BUILD)/libsarx.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< cli/statfile.c cli/statfile_text.c $(BUILD)/libsarx.a $(READSTAT_LIBS) $(LDLIBS)

# The sarx command also writes its figures as PNG, with librsvg (cli/png.c);
# libsarx does not link it.  tests/plots checks the figures and the PNGs.
PNG_PKGS   = librsvg-2.0
PNG_CFLAGS := $(shell pkg-config --cflags $(PNG_PKGS))
PNG_LIBS   := $(shell pkg-config --libs $(PNG_PKGS))
$(BUILD)/cli/png.o: ALL_CFLAGS += $(PNG_CFLAGS) -DSARX_HAVE_RSVG
$(BUILD)/sarx: LDLIBS += $(PNG_LIBS)
TESTS += $(BUILD)/tests/plots
$(BUILD)/tests/plots: tests/plots.c tests/harness.h cli/png.h $(BUILD)/cli/png.o $(SRV_OBJ) $(BUILD)/libsarx.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SRV_CFLAGS) $(PNG_CFLAGS) -o $@ $< $(BUILD)/cli/png.o $(BUILD)/server/weightplot.o \
	      $(BUILD)/server/visit.o $(BUILD)/libsarx.a $(PNG_LIBS) $(LDLIBS)

.PHONY: all check fuzz docs man install uninstall clean bench calibrate joint
# The SQL front ends: the SQLite loadable extension (ext/sqlite/) and the
# PostgreSQL extension (ext/postgres/, PGXS); each adds itself to all,
# install, check's prerequisites and bench.
-include ext/sqlite/sqlite.mk
-include ext/postgres/postgres.mk
# The Python and R packages (python/, r/; docs/PYTHON.md, docs/R.md): each
# adds itself to all, check's prerequisites and bench.
-include python/python.mk
-include r/r.mk
# FHIR R4 (docs/FHIR.md): its tests, the terminology files and their validation.
-include tests/fhir/fhir.mk
all: $(BUILD)/libsarx.a $(BUILD)/libsarx.so $(BUILD)/libsarx.so.$(SOVERSION) $(BUILD)/sarx $(BUILD)/sarx.pc

# The motor-unit pool kernel is written to vectorise: -O3, no FP-trap
# assumptions, and a*b+c contracted to one FMA in the AVX2 and AVX-512
# kernels (the last bits differ from the SSE2 kernel's; the step is held
# to pymuscle at 1e-9 and nothing else uses it; docs/PERFORMANCE.md).
# pool_kernel.h is the kernel's body, included once per vector width.
$(BUILD)/src/sim/pool.o: LIB_CFLAGS += -O3 -fno-trapping-math -ffp-contract=fast
$(BUILD)/src/sim/pool.o: src/sim/pool_kernel.h
ifeq ($(findstring clang,$(CC)),)
$(BUILD)/src/sim/pool.o: LIB_CFLAGS += -Wno-psabi
endif

$(BUILD)/src/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libsarx.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libsarx.so: $(LIB_OBJ)
	$(CC) $(SANFLAGS) -shared -Wl,-soname,libsarx.so.$(SOVERSION) -Wl,--no-undefined -o $@ $^ $(LDLIBS)

# The soname's link, so that a program built against build/ runs with
# LD_LIBRARY_PATH=build (the loader looks for libsarx.so.0).
$(BUILD)/libsarx.so.$(SOVERSION): $(BUILD)/libsarx.so
	ln -sf libsarx.so $@

$(SRV_OBJ) $(BUILD)/cli/serve.o: ALL_CFLAGS += $(SRV_CFLAGS)

# The web page, compiled in (server/web/ -> assets.c) by a small build tool.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) -O1 -o $@ $<

$(BUILD)/server/assets.c: $(BUILD)/tools/embed $(WEB)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(WEB)

$(BUILD)/server/assets.o: $(BUILD)/server/assets.c server/server.h include/sarx.h
	$(CC) $(ALL_CFLAGS) -Iserver -c $< -o $@

$(BUILD)/sarx: $(CLI_OBJ) $(SRV_OBJ) $(BUILD)/libsarx.a
	$(CC) $(SANFLAGS) -pthread -o $@ $(CLI_OBJ) $(SRV_OBJ) $(BUILD)/libsarx.a $(SRV_LIBS) $(LDLIBS)

# build/sarx.pc names the default PREFIX; `make install` writes the
# installed one from sarx.pc.in with the PREFIX it is given, so a plain
# `make` followed by `make install PREFIX=/opt/sarx` installs a correct one.
$(BUILD)/sarx.pc: sarx.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' sarx.pc.in > $@

$(BUILD)/tests/%: tests/%.c tests/harness.h tests/unit.h tests/memsrc.h tests/httpc.h tests/hostset.h \
                  tests/vectors.h tests/vecload.h $(BUILD)/libsarx.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libsarx.a $(LDLIBS)

# The vectors runner also drives the SQL front ends: the SQLite extension
# (vectors_sqlite.c, through libsqlite3) and the PostgreSQL one (vectors_pg.c,
# through libpq).
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null)
PQ_LIBS   := $(shell pkg-config --libs libpq 2>/dev/null || echo -lpq)
$(BUILD)/tests/vectors: tests/vectors.c tests/vectors.h tests/vecload.h tests/vectors_sqlite.c tests/vectors_pg.c tests/harness.h \
                        tests/httpc.h $(BUILD)/libsarx.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SRV_CFLAGS) $(PQ_CFLAGS) -o $@ tests/vectors.c tests/vectors_sqlite.c tests/vectors_pg.c \
	      $(BUILD)/libsarx.a $(SRV_LIBS) $(PQ_LIBS) $(LDLIBS)

# The API test is a client: it starts $(BUILD)/sarx serve on loopback.
$(BUILD)/tests/api: tests/api.c tests/apitest.h tests/harness.h tests/httpc.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SRV_CFLAGS) -o $@ $< $(SRV_LIBS) $(LDLIBS)

# The FHIR routes' test is a client too: it starts $(BUILD)/sarx serve on loopback.
TESTS += $(BUILD)/tests/fhir_api
$(BUILD)/tests/fhir_api: tests/fhir_api.c tests/apitest.h tests/harness.h tests/httpc.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SRV_CFLAGS) -o $@ $< $(SRV_LIBS) $(LDLIBS)

# The registry under faults (a failed sync, files deleted or replaced, damage).
$(BUILD)/tests/registry: tests/registry.c tests/apitest.h tests/harness.h tests/httpc.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SRV_CFLAGS) -o $@ $< $(SRV_LIBS) $(LDLIBS)

# The HTTP hardening tests are clients too: limits and strictness (http),
# floods and slow clients (http_slow).
$(BUILD)/tests/http $(BUILD)/tests/http_slow: $(BUILD)/tests/%: tests/%.c tests/harness.h tests/httpc.h \
                                             tests/httpraw.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LDLIBS)

# A shim the registry and HTTP tests preload into the server (LD_PRELOAD):
# fsync/fdatasync that fail or take their time, json_dumps that fails, on
# demand.  Never sanitized: it is loaded first.
$(BUILD)/tests/failsync.so: tests/failsync.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) -O1 -g -fPIC -shared -o $@ $< -ldl

# The calibration program and the joint-criteria analysis are built
# (warnings as errors) with the tests; they run only on demand: `make
# calibrate` and `make joint` (docs/SIMULATOR.md, "Calibration" and "What the
# held-out targets showed").
check: all $(TESTS) $(BUILD)/bench/sim_calibrate $(BUILD)/bench/sim_joint
	@BUILD=$(BUILD) sh tests/run.sh

calibrate: $(BUILD)/bench/sim_calibrate
	$(BUILD)/bench/sim_calibrate 20000 7

joint: $(BUILD)/bench/sim_joint
	$(BUILD)/bench/sim_joint 40000 1

docs: $(BUILD)/sarx
	$(BUILD)/sarx definitions --format markdown > docs/DEFINITIONS.md
	sh tools/docs-fields.sh $(BUILD)/sarx

# sarx(1) and the bash completion, written from the option tables
# (cli/opts_doc.c); tests/cli/options.sh fails when the committed files are stale.
man: $(BUILD)/sarx
	$(BUILD)/sarx --man > man/sarx.1
	$(BUILD)/sarx --completion bash > completion/sarx.bash

# libFuzzer targets (clang): every fuzz/fuzz_*.c, or FUZZ_TARGETS="fuzz_csv
# fuzz_api".  The library and the server are compiled once, instrumented,
# into one archive that each target links; fuzz/run.sh runs each target for
# FUZZ_SECONDS with its dictionary and seeds, and prints exec/s and
# coverage per target (docs/TESTING.md).  Sanitizer reports abort the run
# (-fno-sanitize-recover), so that the fuzzer sees them as findings.
FUZZ_SECONDS ?= 20
FUZZ_CC      ?= clang
FUZZ_DIR     ?= build-fuzz
FUZZ_TARGETS ?= $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_FLAGS    = $(STD) -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined,float-cast-overflow \
                -fno-sanitize-recover=all -Iinclude -Isrc $(PKG_CFLAGS) $(SRV_CFLAGS) -pthread
FUZZ_OBJ      = $(patsubst %.c,$(FUZZ_DIR)/%.o,$(LIB_SRC) $(SRV_SRC)) $(FUZZ_DIR)/server/assets.o
fuzz: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
	@FUZZ_DIR=$(FUZZ_DIR) sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_DIR)/libsarx-fuzz.a $(HDRS) $(wildcard server/*.h) tests/memsrc.h tests/hostset.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libsarx-fuzz.a $(SRV_LIBS) $(LDLIBS)
$(FUZZ_DIR)/libsarx-fuzz.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^
# The batch kernel and the rule interpreter compare masks, counters and
# opcodes in their inner loops: tracing those comparisons (trace-cmp) took a
# third of fuzz_cohort's time and a fifth of fuzz_api's, and guides nothing
# there (no input byte meets them).  The JSON writer compares every byte it
# escapes against a few constants (a fifth of fuzz_api's time), and the
# vocabulary of conditions every byte of a condition against its terms (a
# sixth of fuzz_cohort's); the fuzzer finds quotes, control bytes and the
# terms from the dictionaries.  Their edges are still counted.
# The scalar evaluator (assess.c) runs the same compiled rows as the batch
# kernel, and the derived measures (measures.c) are arithmetic on values
# already parsed: their comparisons against thresholds and opcodes were a
# sixth of fuzz_cohort's time once the cohort reader grew its maps.
$(FUZZ_DIR)/src/batch.o $(FUZZ_DIR)/src/expr.o $(FUZZ_DIR)/src/json.o $(FUZZ_DIR)/src/conditions.o \
$(FUZZ_DIR)/src/assess.o $(FUZZ_DIR)/src/measures.o: FUZZ_FLAGS += -fno-sanitize-coverage=trace-cmp
# fuzz_api's harness checks that every answer is JSON, byte by byte (sarx's
# own output): traced, those comparisons took a sixth of the target's time.
$(FUZZ_DIR)/fuzz_api: FUZZ_FLAGS += -fno-sanitize-coverage=trace-cmp
$(FUZZ_DIR)/%.o: %.c $(HDRS) $(wildcard server/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(FUZZ_DIR)/server/assets.c: $(BUILD)/tools/embed $(WEB)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(WEB)
$(FUZZ_DIR)/server/assets.o: $(FUZZ_DIR)/server/assets.c server/server.h include/sarx.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -Iserver -c $< -o $@

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/sarx $(DESTDIR)$(PREFIX)/bin/sarx
	install -m 644 $(BUILD)/libsarx.a $(DESTDIR)$(PREFIX)/lib/libsarx.a
	install -m 755 $(BUILD)/libsarx.so $(DESTDIR)$(PREFIX)/lib/libsarx.so.$(VERSION)
	ln -sf libsarx.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libsarx.so.$(SOVERSION)
	ln -sf libsarx.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libsarx.so
	install -m 644 include/sarx.h $(DESTDIR)$(PREFIX)/include/sarx.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' sarx.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/sarx.pc
	chmod 644 $(DESTDIR)$(PREFIX)/lib/pkgconfig/sarx.pc
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 man/sarx.1 $(DESTDIR)$(PREFIX)/share/man/man1/sarx.1
	install -m 644 completion/sarx.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sarx

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sarx $(DESTDIR)$(PREFIX)/lib/libsarx.* \
	      $(DESTDIR)$(PREFIX)/include/sarx.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/sarx.pc \
	      $(DESTDIR)$(PREFIX)/share/man/man1/sarx.1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sarx

clean:
	rm -rf build build-san build-fuzz build-tsan build-gcc build-clang

# Benchmarks (not tests): see docs/PERFORMANCE.md.
$(BUILD)/bench/%: bench/%.c bench/clock.h $(BUILD)/libsarx.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libsarx.a $(LDLIBS)

bench: $(BUILD)/bench/assess_bench $(BUILD)/bench/sim_bench $(BUILD)/bench/columns $(BUILD)/sarx
	$(BUILD)/bench/assess_bench 20000 examples/*.json
	$(BUILD)/bench/sim_bench
	$(BUILD)/bench/columns $(BUILD)/sarx 1000000 5
