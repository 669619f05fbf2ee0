#!/usr/bin/env bash
# Benchmarks Acre against CNCF Distribution (Debian's docker-registry) and nginx, side by side on loopback.
#
#   bench/run.sh [--quick] [acre-bench options…]
#
# Builds Acre and the benchmark in Release, starts Acre, docker-registry and nginx on free loopback ports with all
# their state in one temporary directory, runs the benchmark, then stops exactly those three processes by pid and
# deletes the directory (ACRE_BENCH_KEEP=1 keeps it). The results go to stdout and to bench/results/.
# --quick runs small sizes, for trying the set-up; options after it override any size (see docs/benchmarks.md).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=()
if [[ "${1:-}" == "--quick" ]]; then
  shift
  sizes=(--blob-mib 256 --big-blob-mib 1024 --images 200 --repos 500 --rounds 2 --catalog-walks 5 --starts 3)
  need_gib=10
else
  need_gib=32
fi

for tool in dotnet docker-registry nginx curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/acre-bench.XXXXXX")"
pids=()

stop_started() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${ACRE_BENCH_KEEP:-}" == 1 ]]; then
    echo "run.sh: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap stop_started EXIT

free_kib="$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')"
if (( free_kib < need_gib * 1024 * 1024 )); then
  echo "run.sh: $tmp has $((free_kib / 1024 / 1024)) GiB free; this run writes up to $need_gib GiB" >&2
  exit 1
fi

# Waits until URL answers with any HTTP status (curl prints 000 while nothing listens).
wait_for_http() {
  local url="$1" name="$2"
  for _ in $(seq 1 300); do
    if [[ "$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' "$url")" != 000 ]]; then
      return 0
    fi
    sleep 0.1
  done
  echo "run.sh: $name did not answer at $url" >&2
  exit 1
}

echo "run.sh: building Acre and the benchmark (Release) into $tmp" >&2
dotnet publish "$repo/src/Acre" -c Release -o "$tmp/acre" --nologo -v quiet >&2
dotnet publish "$repo/bench/Acre.Bench" -c Release -o "$tmp/bench" --nologo -v quiet >&2
read -r distribution_port nginx_port < <(dotnet "$tmp/bench/acre-bench.dll" free-ports 2)

# Acre's host watches its working directory tree for configuration changes: start it in an empty one, so that it
# does not watch the other servers' storage as they fill it.
export ACRE_ADMIN_PASSWORD="bench-$RANDOM$RANDOM$RANDOM"
mkdir -p "$tmp/acre-cwd"
(cd "$tmp/acre-cwd" && exec dotnet "$tmp/acre/acre.dll" --data-dir "$tmp/acre-data" --port 0 --http-port 0 \
  --log-level Warning >"$tmp/acre.log" 2>&1) &
pids+=("$!")

mkdir -p "$tmp/distribution"
cat >"$tmp/distribution.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $tmp/distribution
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$distribution_port
YAML
docker-registry serve "$tmp/distribution.yml" >"$tmp/distribution.log" 2>&1 &
distribution_pid="$!"
pids+=("$distribution_pid")

# nginx workers may run as another user: let them reach the served directory.
mkdir -p "$tmp/nginx/www" "$tmp/nginx/temp"
chmod o+x "$tmp" "$tmp/nginx"
chmod o+rx "$tmp/nginx/www"
cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path $tmp/nginx/temp/body;
  proxy_temp_path $tmp/nginx/temp/proxy;
  fastcgi_temp_path $tmp/nginx/temp/fastcgi;
  uwsgi_temp_path $tmp/nginx/temp/uwsgi;
  scgi_temp_path $tmp/nginx/temp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $tmp/nginx/www;
  }
}
CONF
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
nginx_pid="$!"
pids+=("$nginx_pid")

for _ in $(seq 1 300); do
  [[ -s "$tmp/acre-data/acre.json" ]] && break
  sleep 0.1
done
[[ -s "$tmp/acre-data/acre.json" ]] || { echo "run.sh: Acre did not start:" >&2; cat "$tmp/acre.log" >&2; exit 1; }
wait_for_http "http://127.0.0.1:$distribution_port/v2/" docker-registry
wait_for_http "http://127.0.0.1:$nginx_port/" nginx

versions="Acre $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'),"
versions+=" Distribution $(docker-registry --version | awk '{ print $3 }'),"
versions+=" $(nginx -v 2>&1 | sed 's/^nginx version: //')"
mkdir -p "$repo/bench/results" "$tmp/work"
dotnet "$tmp/bench/acre-bench.dll" \
  --acre-data-dir "$tmp/acre-data" --acre-dll "$tmp/acre/acre.dll" \
  --distribution "http://127.0.0.1:$distribution_port/" --distribution-pid "$distribution_pid" \
  --nginx "http://127.0.0.1:$nginx_port/" --nginx-root "$tmp/nginx/www" --nginx-pid "$nginx_pid" \
  --work-dir "$tmp/work" --versions "$versions" \
  --out "$repo/bench/results/$(date -u +%Y%m%d-%H%M%S).md" \
  "${sizes[@]}" "$@"
