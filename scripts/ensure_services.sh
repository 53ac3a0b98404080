#!/usr/bin/env bash
# Make sure PostgreSQL and Redis are reachable for this checkout and write
# .local/services.env (DATABASE_URL=..., REDIS_URL=...) for the Makefile.
#
# Decision, separately for PostgreSQL and for Redis:
#   (a) DATABASE_URL / REDIS_URL set in the environment  -> use them as given;
#   (b) else 127.0.0.1:5432 answers pg_isready / 127.0.0.1:6379 answers PING -> use it;
#   (c) else start a project-local throwaway instance under .local/ (first free port from
#       54329 / 63799, loopback only, fsync off), reusing it on later runs;
#   (d) if the server binaries are missing and we are root: apt-get install them, then (c);
#   (e) otherwise exit non-zero naming what to install.
# Then: create the database if missing (UTF8, C.UTF-8 collate/ctype, template0 -- needed for
# pg_trgm on Chinese text) and CREATE EXTENSION IF NOT EXISTS pg_trgm in it.
#
# Idempotent and quick when everything is up. Never stops or reconfigures a shared server.
# Env knobs: INTEGRITY_DB_NAME (default integrity, used when DATABASE_URL is not set),
#            LOCAL_PG_PORT (default 54329), LOCAL_REDIS_PORT (default 63799),
#            SYSTEM_PG_PORT (default 5432), SYSTEM_REDIS_PORT (default 6379) for step (b).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
ENV_FILE="$LOCAL/services.env"
DB_NAME_DEFAULT="${INTEGRITY_DB_NAME:-integrity}"
PG_PORT_START="${LOCAL_PG_PORT:-54329}"
REDIS_PORT_START="${LOCAL_REDIS_PORT:-63799}"
SYSTEM_PG_PORT="${SYSTEM_PG_PORT:-5432}"
SYSTEM_REDIS_PORT="${SYSTEM_REDIS_PORT:-6379}"
HOST=127.0.0.1

say() { printf 'ensure_services: %s\n' "$*" >&2; }
die() {
    printf 'ensure_services: ERROR: %s\n' "$*" >&2
    exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

mkdir -p "$LOCAL"

# --- helpers ---------------------------------------------------------------------------------

port_in_use() { # port -> 0 if something listens on 127.0.0.1:port
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

free_port() { # start -> first port >= start nobody listens on
    local p="$1"
    while port_in_use "$p"; do
        p=$((p + 1))
        [ "$p" -lt $(($1 + 50)) ] || die "no free port in $1..$p"
    done
    echo "$p"
}

redis_ping() { # host port -> 0 if it answers PING with +PONG (or demands auth: it is alive)
    local reply
    reply="$(timeout 2 bash -c '
        exec 3<>"/dev/tcp/$0/$1" || exit 1
        printf "PING\r\n" >&3
        IFS= read -r line <&3 && printf "%s" "$line"
    ' "$1" "$2" 2>/dev/null)" || return 1
    case "$reply" in
        +PONG* | -NOAUTH*) return 0 ;;
        *) return 1 ;;
    esac
}

pg_bindir() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
        echo "$d"
    elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

pg_ready() { # host port
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$1" -p "$2" -t 2
    else
        port_in_use "$2"
    fi
}

APT_UPDATED=0
apt_install() {
    is_root || return 1
    command -v apt-get >/dev/null 2>&1 || return 1
    say "installing $* with apt-get"
    if [ "$APT_UPDATED" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# Run a command as the cluster owner: postgres when we are root (initdb refuses root).
as_pg_owner() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# --- PostgreSQL --------------------------------------------------------------------------------

start_local_pg() {
    local bindir="$1" base="$LOCAL/pg" data port
    # The cluster owner must be able to reach the data directory; when the checkout lives
    # somewhere postgres cannot traverse (e.g. /root), keep the cluster in /tmp and remember it.
    if [ -f "$base/datadir" ]; then
        data="$(cat "$base/datadir")"
    else
        mkdir -p "$base"
        data="$base/data"
        if is_root && ! runuser -u postgres -- test -x "$LOCAL"; then
            data="/tmp/integrity-pg-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)/data"
            say "postgres cannot reach $LOCAL; cluster goes to $data"
        fi
        echo "$data" >"$base/datadir"
    fi
    if is_root && ! id postgres >/dev/null 2>&1; then
        die "user 'postgres' does not exist (install the 'postgresql' package)"
    fi

    if [ ! -f "$data/PG_VERSION" ]; then
        say "initdb $data"
        mkdir -p "$data"
        if is_root; then
            chown postgres: "$data"
            case "$data" in /tmp/*) chown postgres: "$(dirname "$data")" ;; esac
        fi
        chmod 700 "$data"
        as_pg_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 ||
            die "initdb failed, see $base/initdb.log"
        cat >>"$data/postgresql.conf" <<'CONF'
# --- project-local throwaway cluster (scripts/ensure_services.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
    fi

    port="$(cat "$base/port" 2>/dev/null || true)"
    if [ -n "$port" ] && [ -f "$data/postmaster.pid" ] && pg_ready "$HOST" "$port"; then
        echo "$port"
        return 0
    fi
    port="$(free_port "$PG_PORT_START")"
    if is_root; then
        touch "$base/postgres.log" && chown postgres: "$base/postgres.log"
    fi
    say "starting local PostgreSQL on $HOST:$port ($data)"
    as_pg_owner "$bindir/pg_ctl" -D "$data" -l "$base/postgres.log" -w -t 30 \
        -o "-p $port" start >/dev/null ||
        die "pg_ctl start failed, see $base/postgres.log"
    echo "$port" >"$base/port"
    echo "$port"
}

resolve_database_url() {
    if [ -n "${DATABASE_URL:-}" ]; then
        say "PostgreSQL: using DATABASE_URL from the environment"
        echo "$DATABASE_URL"
        return
    fi
    if pg_ready "$HOST" "$SYSTEM_PG_PORT"; then
        say "PostgreSQL: using the server on $HOST:$SYSTEM_PG_PORT"
        echo "postgres://postgres@$HOST:$SYSTEM_PG_PORT/$DB_NAME_DEFAULT"
        return
    fi
    local bindir
    bindir="$(pg_bindir)"
    if [ -z "$bindir" ] || ! command -v psql >/dev/null 2>&1; then
        apt_install postgresql ||
            die "PostgreSQL is not running on $HOST:$SYSTEM_PG_PORT and its binaries are missing: install the
  'postgresql' package (server + client, with pg_trgm), e.g. 'sudo apt-get install postgresql',
  or set DATABASE_URL=postgres://user@host:port/dbname"
        bindir="$(pg_bindir)"
        [ -n "$bindir" ] || die "apt-get installed postgresql but no initdb/pg_ctl found"
    fi
    local port
    port="$(start_local_pg "$bindir")"
    echo "postgres://postgres@$HOST:$port/$DB_NAME_DEFAULT"
}

# Split DATABASE_URL into the maintenance URL (same server, database 'postgres') and the db name.
split_db_url() {
    python3 - "$1" <<'PY'
import sys
from urllib.parse import unquote, urlsplit, urlunsplit

u = urlsplit(sys.argv[1])
if u.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
    sys.exit(f"unsupported DATABASE_URL scheme {u.scheme!r}")
name = unquote(u.path.lstrip("/")) or "integrity"
admin = urlunsplit(("postgresql", u.netloc, "/postgres", u.query, ""))
target = urlunsplit(("postgresql", u.netloc, "/" + u.path.lstrip("/"), u.query, ""))
print(admin)
print(target)
print(name)
PY
}

ensure_database() {
    local url="$1" admin target name parts
    command -v psql >/dev/null 2>&1 ||
        die "psql not found: install 'postgresql-client' (needed to create the database)"
    parts="$(split_db_url "$url")" || die "cannot parse DATABASE_URL"
    admin="$(sed -n 1p <<<"$parts")"
    target="$(sed -n 2p <<<"$parts")"
    name="$(sed -n 3p <<<"$parts")"
    local psql_opts=(-X -q -v ON_ERROR_STOP=1 -At)
    export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
    local exists
    exists="$(PGCONNECT_TIMEOUT=5 psql "${psql_opts[@]}" -d "$admin" -c "SELECT 1 FROM pg_database WHERE datname = '${name//\'/\'\'}'")" ||
        die "cannot connect to PostgreSQL at ${admin%%\?*}"
    if [ "$exists" != "1" ]; then
        say "creating database $name (UTF8, C.UTF-8)"
        local ident="\"${name//\"/\"\"}\""
        psql "${psql_opts[@]}" -d "$admin" -c \
            "CREATE DATABASE $ident ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0" ||
            die "CREATE DATABASE $name failed"
    else
        local info
        info="$(psql "${psql_opts[@]}" -d "$admin" -F ' ' -c \
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = '${name//\'/\'\'}'")"
        case "$info" in
            "UTF8 "*UTF-8* | "UTF8 "*utf8*) ;;
            *) say "WARNING: database $name has encoding/ctype '$info'; Chinese trigram search needs UTF8 with a UTF-8 ctype (recreate it)" ;;
        esac
    fi
    psql "${psql_opts[@]}" -d "$target" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm" ||
        die "cannot create extension pg_trgm in $name (install postgresql-contrib / connect as a role allowed to create it)"
}

# --- Redis -------------------------------------------------------------------------------------

start_local_redis() {
    local dir="$LOCAL/redis" port
    mkdir -p "$dir"
    port="$(cat "$dir/port" 2>/dev/null || true)"
    if [ -n "$port" ] && redis_ping "$HOST" "$port"; then
        echo "$port"
        return 0
    fi
    port="$(free_port "$REDIS_PORT_START")"
    say "starting local Redis on $HOST:$port ($dir)"
    redis-server --port "$port" --bind "$HOST" --save '' --appendonly no --daemonize yes \
        --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null ||
        die "redis-server failed to start, see $dir/redis.log"
    local i
    for i in $(seq 1 50); do
        redis_ping "$HOST" "$port" && break
        sleep 0.1
    done
    redis_ping "$HOST" "$port" || die "local Redis did not answer on $port, see $dir/redis.log"
    echo "$port" >"$dir/port"
    echo "$port"
}

resolve_redis_url() {
    if [ -n "${REDIS_URL:-}" ]; then
        say "Redis: using REDIS_URL from the environment"
        echo "$REDIS_URL"
        return
    fi
    if redis_ping "$HOST" "$SYSTEM_REDIS_PORT"; then
        say "Redis: using the server on $HOST:$SYSTEM_REDIS_PORT"
        echo "redis://$HOST:$SYSTEM_REDIS_PORT/0"
        return
    fi
    if ! command -v redis-server >/dev/null 2>&1; then
        apt_install redis-server ||
            die "Redis is not running on $HOST:$SYSTEM_REDIS_PORT and redis-server is missing: install the
  'redis-server' package, e.g. 'sudo apt-get install redis-server', or set REDIS_URL=redis://host:port/N"
        # Debian's package may start its own service on 6379; prefer it if it did.
        if redis_ping "$HOST" "$SYSTEM_REDIS_PORT"; then
            echo "redis://$HOST:$SYSTEM_REDIS_PORT/0"
            return
        fi
    fi
    local port
    port="$(start_local_redis)"
    echo "redis://$HOST:$port/0"
}

check_redis_url() { # warn only: the URL may need auth/TLS we do not speak here
    python3 - "$1" <<'PY' | {
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
print(u.scheme, u.hostname or "127.0.0.1", u.port or 6379)
PY
        read -r scheme host port
        if [ "$scheme" = "redis" ] && ! redis_ping "$host" "$port"; then
            say "WARNING: Redis at $host:$port does not answer PING"
        fi
    }
}

# --- main --------------------------------------------------------------------------------------

database_url="$(resolve_database_url)"
ensure_database "$database_url"
redis_url="$(resolve_redis_url)"
check_redis_url "$redis_url"

tmp="$(mktemp "$LOCAL/services.env.XXXXXX")"
{
    echo "# written by scripts/ensure_services.sh -- do not edit, do not commit"
    echo "DATABASE_URL=$database_url"
    echo "REDIS_URL=$redis_url"
} >"$tmp"
if cmp -s "$tmp" "$ENV_FILE"; then
    rm -f "$tmp"
else
    mv -f "$tmp" "$ENV_FILE"
fi
say "ok: DATABASE_URL=$database_url REDIS_URL=$redis_url (in ${ENV_FILE#"$ROOT"/})"
