# The SQLite loadable extension (ext/sqlite/, docs/SQL.md), included by the
# Makefile before `all`.
#   $(BUILD)/sarx_sqlite.so   the extension: libsarx linked in statically,
#                             only its entry points exported (sarx_sqlite.map)
#   $(BUILD)/tests/sqlite     its C API test (tests/sqlite.c), run by check
#   make bench-sqlite         bench/sqlite.sh (part of `make bench`)
# Installed as $(PREFIX)/lib/sarx/sarx_sqlite.so.
SQLITE_EXT_SRC  = $(wildcard ext/sqlite/*.c)
SQLITE_EXT_OBJ  = $(SQLITE_EXT_SRC:%.c=$(BUILD)/%.o)
SQLITE_EXT_MAP  = ext/sqlite/sarx_sqlite.map
SQLITE_LIBS    := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
# Every symbol the extension needs resolved at link time, except under the
# sanitizers (clang leaves their runtime to the program that loads it).
ifneq ($(SAN),1)
SQLITE_EXT_LDFLAGS = -Wl,--no-undefined
endif

all: $(BUILD)/sarx_sqlite.so
TESTS += $(BUILD)/tests/sqlite

$(SQLITE_EXT_OBJ): ext/sqlite/sx.h
$(SQLITE_EXT_OBJ): ALL_CFLAGS += -fvisibility=hidden

$(BUILD)/sarx_sqlite.so: $(SQLITE_EXT_OBJ) $(BUILD)/libsarx.a $(SQLITE_EXT_MAP)
	$(CC) $(SANFLAGS) -shared $(SQLITE_EXT_LDFLAGS) -Wl,--version-script=$(SQLITE_EXT_MAP) -o $@ \
	      $(SQLITE_EXT_OBJ) $(BUILD)/libsarx.a $(LDLIBS)

# The test program loads the extension with sqlite3_load_extension and
# checks it against libsarx, linked in directly.
$(BUILD)/tests/sqlite: tests/sqlite.c tests/harness.h $(BUILD)/libsarx.a $(BUILD)/sarx_sqlite.so
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libsarx.a $(SQLITE_LIBS) $(LDLIBS)

.PHONY: install-sqlite uninstall-sqlite bench-sqlite
install: install-sqlite
install-sqlite: $(BUILD)/sarx_sqlite.so
	install -d $(DESTDIR)$(PREFIX)/lib/sarx
	install -m 755 $(BUILD)/sarx_sqlite.so $(DESTDIR)$(PREFIX)/lib/sarx/sarx_sqlite.so
uninstall: uninstall-sqlite
uninstall-sqlite:
	rm -f $(DESTDIR)$(PREFIX)/lib/sarx/sarx_sqlite.so
	-rmdir $(DESTDIR)$(PREFIX)/lib/sarx 2>/dev/null

bench: bench-sqlite
bench-sqlite: $(BUILD)/sarx_sqlite.so $(BUILD)/sarx
	sh bench/sqlite.sh $(BUILD)
