# The PostgreSQL extension (ext/postgres/), included by the top Makefile.
#   make                 builds it into $(BUILD)/postgres/ when pg_config is
#                        found (a one-line notice otherwise; CI=true: an error)
#   make install         also installs it into PostgreSQL's directories
#                        (pg_config's), under DESTDIR when given
#   make check           builds it first; tests/pg/run.sh tests it
#   make installcheck    the PostgreSQL tests alone (tests/pg/run.sh): a
#                        throwaway cluster, pg_regress, the vectors, the
#                        aggregates against sarx cohort
# PG_CONFIG=/path/to/pg_config picks another PostgreSQL.
PG_CONFIG ?= pg_config
PG_CONFIG_FOUND := $(shell command -v $(PG_CONFIG) 2>/dev/null)
PG_BUILD = $(BUILD)/postgres
# Under SAN=1 the extension is built with UBSan only, against a libsarx
# built the same way ($(BUILD)/postgres/lib/libsarx.a): Debian's server and
# psql deadlock at startup with the ASan runtime preloaded (gnutls's
# constructor calls bindtextdomain before ASan is initialised; glibc's
# _nl_state_lock stays taken), and an ASan-instrumented sarx.so cannot load
# without that runtime first.  The UBSan runtime loads with sarx.so.
ifeq ($(SAN),1)
PG_LIB_BUILD = $(PG_BUILD)/lib
PG_SANFLAGS  = -fsanitize=undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer
$(PG_LIB_BUILD)/libsarx.a: $(LIB_SRC) $(HDRS)
	+@$(MAKE) --no-print-directory SAN= BUILD=$(PG_LIB_BUILD) CFLAGS='$(CFLAGS)' SANFLAGS='$(PG_SANFLAGS)' $@
else
PG_LIB_BUILD = $(BUILD)
PG_SANFLAGS  =
endif
PG_SUBMAKE = $(MAKE) --no-print-directory -C $(PG_BUILD) -f $(CURDIR)/ext/postgres/Makefile \
             VPATH=$(CURDIR)/ext/postgres SARX_TOP=$(CURDIR) SARX_BUILD=$(abspath $(PG_LIB_BUILD)) \
             PG_CONFIG=$(PG_CONFIG) with_llvm=no CC='$(CC)' CFLAGS='$(STD) $(WARN) $(CFLAGS) $(PG_SANFLAGS)'

.PHONY: pg-ext install-pg-ext uninstall-pg-ext installcheck bench-postgres
all: pg-ext
check: pg-ext
install: install-pg-ext
uninstall: uninstall-pg-ext
bench: bench-postgres

ifeq ($(PG_CONFIG_FOUND),)
pg-ext:
ifeq ($(CI),true)
	@echo "sarx: $(PG_CONFIG) not found: CI must build the PostgreSQL extension (apt-get install postgresql-server-dev-15)" >&2; exit 1
else
	@echo "sarx: $(PG_CONFIG) not found: the PostgreSQL extension is not built (apt-get install postgresql-server-dev-15)"
endif
install-pg-ext:
uninstall-pg-ext:
bench-postgres:
else
pg-ext: $(PG_LIB_BUILD)/libsarx.a
	@mkdir -p $(PG_BUILD)
	+@$(PG_SUBMAKE) all
install-pg-ext: pg-ext
	+$(PG_SUBMAKE) install DESTDIR='$(DESTDIR)'
uninstall-pg-ext:
	+$(PG_SUBMAKE) SARX_STAGING=1 uninstall DESTDIR='$(DESTDIR)'
# bench/postgres.sh: 1M subjects on a throwaway cluster (docs/PERFORMANCE.md).
bench-postgres: pg-ext $(BUILD)/sarx
	BUILD=$(BUILD) sh bench/postgres.sh
endif

# The vectors runner (tests/vectors --postgres) and the sarx command are
# what tests/pg/run.sh needs besides the extension.
installcheck: pg-ext $(BUILD)/sarx $(BUILD)/tests/vectors
	@sh tests/pg/run.sh $(BUILD)
