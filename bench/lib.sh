# Shared by the server benchmarks (sourced, not run): a release build, a temporary data folder,
# `anju serve` on a free loopback port, an admin token, and the figures wrk prints.

# Warnings are errors in the test builds; GCC 12 at -O3 also warns about code that is fine
# (-Wrestrict, -Wmaybe-uninitialized inside libstdc++), so an optimised build only reports them.
# bench_build [TARGET...]: the whole release build, or only the TARGETs.
bench_build() {
  ANJU_BENCH=1 scripts/install-deps.sh
  scripts/build.sh build/release -DCMAKE_BUILD_TYPE=Release -DANJU_BUILD_TESTS=OFF \
    -DANJU_WERROR=OFF -- "$@"
  anju=build/release/src/app/anju
}

# Sets $data (removed at exit, with the servers stopped) and the admin password.
bench_data() {
  data=$(mktemp -d /tmp/anju-bench-XXXXXX)
  server=
  servers=()
  trap 'kill ${servers[*]:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT
  export ANJU_ADMIN_PASSWORD=bench-admin-password
}

bench_machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
}

# A loopback port free at the time of asking.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Serves $data, or the folder given with the `anju serve` options after it, on a free port: sets
# $port and $server (also added to $servers), returns once /healthz answers.
bench_serve() {
  local folder=${1:-$data}
  shift || true
  port=$(bench_free_port)
  ANJU_LOG_LEVEL=warn "$anju" serve --data "$folder" --listen "127.0.0.1:$port" "$@" >/dev/null &
  server=$!
  servers+=("$server")
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.1
  done
}

bench_token() {
  curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
    -d "{\"username\":\"admin\",\"password\":\"$ANJU_ADMIN_PASSWORD\"}" |
    sed 's/.*"token":"\([0-9a-f]*\)".*/\1/'
}

rate_of() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99_of() { awk '$1 == "99%" {print $2}' <<<"$1"; }

# A PostgreSQL 15 server (Debian's, from the test packages) in $data/pg on a free loopback port,
# stopped at exit: sets $pg_url. As root its binaries run as the `postgres` user.
bench_postgres() {
  ANJU_TESTS=1 scripts/install-deps.sh
  local bin=/usr/lib/postgresql/15/bin
  as_postgres=()
  if [[ $(id -u) -eq 0 ]]; then
    as_postgres=(runuser -u postgres --)
    chown postgres "$data"
  fi
  local pg_port
  pg_port=$(bench_free_port)
  "${as_postgres[@]}" "$bin/initdb" -D "$data/pg" -U postgres --auth=trust --locale=C --encoding=UTF8 >/dev/null
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$data/pg" -l "$data/pg.log" -w \
    -o "-p $pg_port -k $data -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start >/dev/null
  # The servers go first: PostgreSQL stopped under them would have them log its loss.
  trap 'kill ${servers[*]:-} 2>/dev/null || true; wait 2>/dev/null || true; "${as_postgres[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$data/pg" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$data"' EXIT
  pg_url="postgresql://postgres@127.0.0.1:$pg_port/postgres"
  echo "postgresql: $("$bin/postgres" --version), shared_buffers 256MB, fsync on"
}
