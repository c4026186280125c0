# Sourced by test scripts: a throwaway PostgreSQL server in a temporary folder on a free
# loopback port, run as the postgres user when we are root (never through systemd).
# pg_throwaway_start sets PG_THROWAWAY_URL (a database "keyward_test" owned by role "keyward",
# which may create databases); pg_throwaway_stop stops the server and removes the folder.

pg_throwaway_start() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$bindir/initdb" ] || { echo "pg-throwaway: PostgreSQL server binaries not found" >&2; return 1; }
  PG_THROWAWAY_DIR=$(mktemp -d /tmp/keyward-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_THROWAWAY_DIR"
    as=(runuser -u postgres --)
  fi
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf '%s\n' "$password" > "$PG_THROWAWAY_DIR/pw"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_THROWAWAY_DIR/pw"
  "${as[@]}" "$bindir/initdb" -D "$PG_THROWAWAY_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$PG_THROWAWAY_DIR/pw" -E UTF8 --locale=C.UTF-8 >"$PG_THROWAWAY_DIR/initdb.log" 2>&1 ||
    { cat "$PG_THROWAWAY_DIR/initdb.log" >&2; return 1; }
  "${as[@]}" "$bindir/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_THROWAWAY_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null ||
    { cat "$PG_THROWAWAY_DIR/server.log" >&2; return 1; }
  PG_THROWAWAY_BINDIR=$bindir
  PG_THROWAWAY_AS=("${as[@]}")
  "${as[@]}" "$bindir/psql" -h "$PG_THROWAWAY_DIR" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE keyward LOGIN CREATEDB PASSWORD '$password'" \
    -c "CREATE DATABASE keyward_test OWNER keyward" >/dev/null
  PG_THROWAWAY_PORT=$port
  PG_THROWAWAY_URL="postgresql://keyward:$password@127.0.0.1:$port/keyward_test"
  export PG_THROWAWAY_URL PG_THROWAWAY_PORT PG_THROWAWAY_DIR
  echo "pg-throwaway: PostgreSQL on 127.0.0.1:$port ($PG_THROWAWAY_DIR)"
}

pg_throwaway_stop() {
  [ -n "${PG_THROWAWAY_DIR:-}" ] || return 0
  if [ -f "$PG_THROWAWAY_DIR/data/postmaster.pid" ]; then
    "${PG_THROWAWAY_AS[@]}" "$PG_THROWAWAY_BINDIR/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_THROWAWAY_DIR"
  PG_THROWAWAY_DIR=
}
