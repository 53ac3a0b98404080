#!/usr/bin/env bash
# Stop the project-local throwaway PostgreSQL / Redis that scripts/ensure_services.sh started
# under .local/ (and only those: by data directory and pid file, never by process name).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"

if [ -f "$LOCAL/pg/datadir" ]; then
    data="$(cat "$LOCAL/pg/datadir")"
    if [ -f "$data/postmaster.pid" ]; then
        bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
        pg_ctl="${bindir:+$bindir/}pg_ctl"
        echo "stopping local PostgreSQL ($data)"
        if [ "$(id -u)" -eq 0 ]; then
            runuser -u postgres -- "$pg_ctl" -D "$data" -m fast -w stop || true
        else
            "$pg_ctl" -D "$data" -m fast -w stop || true
        fi
    fi
    case "$data" in
        /tmp/integrity-pg-*/data) rm -rf "$(dirname "$data")" ;;
    esac
fi

pidfile="$LOCAL/redis/redis.pid"
if [ -f "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
        grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then
        echo "stopping local Redis (pid $pid)"
        kill "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
fi
