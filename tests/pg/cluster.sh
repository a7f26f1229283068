#!/bin/sh
# A throwaway PostgreSQL cluster for the tests.
#
#   sh tests/pg/cluster.sh start DIR [PORT] [STAGE]
#   sh tests/pg/cluster.sh stop DIR
#
# start: initdb into DIR/data and start the server with its socket in DIR
# (PGHOST=DIR), no TCP unless PG_TCP=1 (then 127.0.0.1:PORT, which must be
# free), fast settings (fsync off).  PORT defaults to 54329 (without TCP it
# only names the socket file).  STAGE is a `make install DESTDIR=STAGE` tree
# of the extension (default: $BUILD/postgres/stage, BUILD=build): it is
# copied into DIR and found through Debian's extension_destdir setting, so
# nothing is installed into the system.  DIR is made if needed and must not
# hold a cluster already.
#
# The server runs as the calling user, or as `postgres` (PG_USER) when
# called as root (initdb refuses root); DIR is then made readable by it.
# The superuser of the cluster is that user; connect with
#   psql -h DIR -p PORT -U "$(cat DIR/user)" postgres
# Sanitizer reports of the server (a SAN=1 build's sarx.so has UBSan) go to
# DIR/ubsan.* (UBSAN_OPTIONS is passed on).  PG_PRELOAD=LIB: LD_PRELOAD for
# the server, with ASAN_OPTIONS as given or detect_leaks=0, reports in
# DIR/asan.* (not for the ASan runtime with Debian's binaries: they deadlock
# at startup, ext/postgres/postgres.mk).  PG_BIN: PostgreSQL's programs
# (default: pg_config --bindir).
# PG_SETTINGS: more -c settings for postgres ("-c name=value ...").
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: cluster.sh start DIR [PORT] [STAGE] | stop DIR" >&2; exit 2; }
PG_BIN=${PG_BIN:-$(pg_config --bindir)}

if [ "$(id -u)" -eq 0 ]; then
    user=${PG_USER:-postgres}
    as() { runuser -u "$user" -- "$@"; }
else
    user=$(id -un)
    as() { "$@"; }
fi

case "$cmd" in
start)
    port=${3:-54329}
    stage=${4:-${BUILD:-build}/postgres/stage}
    [ -f "$stage/.stamp" ] || [ -d "$stage/usr" ] || { echo "cluster.sh: no staged extension in $stage (make first)" >&2; exit 1; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ ! -e "$dir/data" ] || { echo "cluster.sh: $dir/data exists" >&2; exit 1; }
    # The server reads the extension and writes its socket here.
    chmod 755 "$dir"
    mkdir -p "$dir/destdir"
    cp -R "$stage/." "$dir/destdir/"
    rm -f "$dir/destdir/.stamp"
    chmod -R a+rX "$dir/destdir"
    if [ "$(id -u)" -eq 0 ]; then chown "$user" "$dir"; fi
    as test -w "$dir" || { echo "cluster.sh: $user cannot write $dir (a parent folder's mode?)" >&2; exit 1; }
    echo "$user" > "$dir/user"
    echo "$port" > "$dir/port"
    listen="''"
    if [ "${PG_TCP:-0}" = 1 ]; then
        if python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$port" 2>/dev/null; then
            listen=127.0.0.1
        else
            echo "cluster.sh: TCP port $port is in use" >&2
            exit 1
        fi
    fi
    as "$PG_BIN/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    # shellcheck disable=SC2016
    opts="-k $dir -p $port -c listen_addresses=$listen -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    opts="$opts -c extension_destdir=$dir/destdir -c max_worker_processes=8 -c max_parallel_workers=8"
    opts="$opts -c lc_messages=C ${PG_SETTINGS:-}"
    ubsan="UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}:log_path=$dir/ubsan"
    if [ -n "${PG_PRELOAD:-}" ]; then
        as env "$ubsan" LD_PRELOAD="$PG_PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}:log_path=$dir/asan" \
            "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null
    else
        as env "$ubsan" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null
    fi
    ;;
stop)
    dir=$(cd "$dir" && pwd)
    [ -d "$dir/data" ] || exit 0
    as "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: cluster.sh start DIR [PORT] [STAGE] | stop DIR" >&2
    exit 2
    ;;
esac
