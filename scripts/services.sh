#!/usr/bin/env bash
# Shared by run.sh and test.sh: installs PostgreSQL and Redis from Debian packages when missing and starts
# private instances on loopback, with their data under .data/ (git-ignored). Idempotent: running it again
# reuses what is installed and running. Source it; it defines functions and exports nothing on its own.

MM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MM_DATA="${MM_DATA:-$MM_ROOT/.data}"
MM_PG_PORT="${MM_PG_PORT:-55432}"
MM_REDIS_PORT="${MM_REDIS_PORT:-56379}"

mm_log() { printf '[mm] %s\n' "$*" >&2; }

mm_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else mm_log "need root (or sudo) for: $*"; return 1
  fi
}

# mm_ensure_packages PKG... installs the Debian packages that are not installed yet (one apt-get update at most).
mm_ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  mm_log "installing ${missing[*]}"
  mm_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  mm_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

mm_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Runs a PostgreSQL tool as the postgres user: the server refuses to run as root.
mm_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; else "$@"; fi
}

mm_start_postgres() {
  local bin; bin="$(mm_pg_bin)"
  local pgdata="$MM_DATA/pg"
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$MM_PG_PORT"; then return 0; fi
  mkdir -p "$MM_DATA"
  # The postgres user must be able to reach the data directory; fall back to /var/tmp when the checkout
  # lives somewhere it cannot traverse (e.g. under /root).
  if [ "$(id -u)" = 0 ] && ! su postgres -s /bin/sh -c "test -x '$MM_DATA'" 2>/dev/null; then
    pgdata="/var/tmp/marketmakers-pg-$(printf '%s' "$MM_ROOT" | md5sum | cut -c1-8)"
    mm_log "postgres cannot reach $MM_DATA; using $pgdata"
  fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    mkdir -p "$pgdata"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdata"
    chmod 700 "$pgdata"
    mm_pg "$bin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  mm_log "starting PostgreSQL on 127.0.0.1:$MM_PG_PORT ($pgdata)"
  mm_pg "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
    -o "-p $MM_PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c max_connections=300 -c shared_buffers=256MB" \
    start >/dev/null
}

mm_start_redis() {
  if redis-cli -h 127.0.0.1 -p "$MM_REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
  mkdir -p "$MM_DATA/redis"
  mm_log "starting Redis on 127.0.0.1:$MM_REDIS_PORT"
  # No persistence: a restart is a flush, which the ticket counter is built to survive.
  redis-server --bind 127.0.0.1 --port "$MM_REDIS_PORT" --save "" --appendonly no \
    --dir "$MM_DATA/redis" --logfile "$MM_DATA/redis/redis.log" --daemonize yes
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$MM_REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  mm_log "Redis did not start; see $MM_DATA/redis/redis.log"; return 1
}

mm_create_database() {
  local name="$1" bin; bin="$(mm_pg_bin)"
  "$bin/psql" -h 127.0.0.1 -p "$MM_PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 \
    || "$bin/createdb" -h 127.0.0.1 -p "$MM_PG_PORT" -U postgres "$name"
}

# Starts local servers unless the caller points the app at existing ones.
mm_start_services() {
  if [ -z "${ConnectionStrings__Postgres:-}" ]; then
    mm_ensure_packages postgresql
    mm_start_postgres
  fi
  if [ -z "${Redis__Configuration:-}" ]; then
    mm_ensure_packages redis-server
    mm_start_redis
  fi
}
