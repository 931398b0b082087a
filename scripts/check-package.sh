#!/usr/bin/env bash
# Checks a built package (scripts/package.sh) as an operator would meet it: the files are where
# docs/deploy.md says, the packaged settings file is accepted, and the packaged binary serves the
# packaged console and answers /healthz. Usage: scripts/check-package.sh build/package/anju_*.deb
set -euo pipefail
deb=$1
root=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$root"' EXIT

fail() {
  echo "package check: $*" >&2
  exit 1
}

dpkg-deb -x "$deb" "$root/fs"
dpkg-deb -e "$deb" "$root/control"
for path in usr/bin/anju usr/share/anju/web/index.html usr/share/anju/web/m/index.html \
  etc/anju/anju.toml lib/systemd/system/anju.service usr/share/doc/anju/deploy.md \
  usr/share/doc/anju/nginx-anju.conf; do
  [[ -e "$root/fs/$path" ]] || fail "missing /$path"
done
grep -qx /etc/anju/anju.toml "$root/control/conffiles" || fail "/etc/anju/anju.toml is not a conffile"
grep -q adduser "$root/control/postinst" || fail "postinst does not create the anju user"
grep -q '^Depends:.*libsqlite3' "$root/control/control" || fail "Depends lacks the shared libraries"

# The packaged settings name /usr/share/anju/web; here the web root is the unpacked copy.
ANJU_WEB_ROOT="$root/fs/usr/share/anju/web" ASAN_OPTIONS=detect_leaks=0 \
  "$root/fs/usr/bin/anju" serve --config "$root/fs/etc/anju/anju.toml" --data "$root/data" \
  --listen 127.0.0.1:0 2>"$root/log" &
pid=$!
url=""
for _ in $(seq 1 600); do
  url=$(grep -o '"url":"[^"]*"' "$root/log" | head -1 | cut -d'"' -f4 || true)
  [[ -n "$url" ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$root/log" >&2; fail "the packaged server did not start"; }
  sleep 0.1
done
[[ -n "$url" ]] || fail "the packaged server did not say where it listens"
curl -fsS "$url/healthz" >/dev/null || fail "/healthz did not answer"
curl -fsS "$url/" | grep -q '<div id="root"' || fail "the console is not served from the package"
kill "$pid"
wait "$pid" || fail "the packaged server did not stop cleanly on SIGTERM"
echo "package check: $deb is whole and serves"
