#!/usr/bin/env bash
# keywardd validate throughput against nginx serving a fixed JSON body, and p99 latency at a fixed
# 1,000 requests/s. Everything on this machine, on loopback ports, started and stopped here:
#   bench/server-bench.sh [BUILD_DIR] [RUNS]      (needs wrk and nginx: apt-get install wrk nginx)
# BUILD_DIR (default build) must hold a RelWithDebInfo build: src/server/keywardd,
# src/cli/keyward-cli, bench/bench_server_rate. Prints every run, then the medians and the ratio.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
runs=${2:-5}
duration=${KW_BENCH_SECONDS:-10}
connections=${KW_BENCH_CONNECTIONS:-50}
threads=${KW_BENCH_WRK_THREADS:-1}
cli=$build/src/cli/keyward-cli
server=$build/src/server/keywardd
rate=$build/bench/bench_server_rate
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "server-bench: $tool is not installed (apt-get install wrk nginx)" >&2; exit 1; }
done
for f in "$cli" "$server" "$rate"; do [ -x "$f" ] || { echo "server-bench: $f is missing; build first" >&2; exit 1; }; done

work=$(mktemp -d /tmp/keyward-server-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((30000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  return 1
}

# A database like a real one: a product with 100,000 keys, a revoked one, a domain-bound one (below).
db=$work/keyward.db
"$cli" --db "$db" --quiet init >/dev/null
"$cli" --db "$db" --quiet product add "Photo Editor" --prefix PE- --plan enterprise >/dev/null
"$cli" --db "$db" --quiet generate --product "Photo Editor" --count 100000 --out "$work/keys.csv" 2>/dev/null
mapfile -t keys < <(tail -n +2 "$work/keys.csv" | cut -d, -f1 | head -n 20)
"$cli" --db "$db" --quiet keys revoke "${keys[18]}" --reason refund >/dev/null
token=$("$cli" --db "$db" apikey create --product "Photo Editor" 2>/dev/null)
admin=$("$cli" --db "$db" admin-token create --role owner --name bench 2>/dev/null)

# The abuse rules stay on, with thresholds no benchmark reaches (all traffic comes from 127.0.0.1).
cat > "$work/keywardd.ini" <<INI
[abuse]
too_fast_requests = 1000000
unknown_keys = 1000000
[limits]
max_connections = 4096
INI
kport=$(free_port)
"$server" --db "$db" --listen "127.0.0.1:$kport" --config "$work/keywardd.ini" >"$work/keywardd.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q "listening on" "$work/keywardd.log" && break; sleep 0.1; done
grep -q "listening on" "$work/keywardd.log" || { cat "$work/keywardd.log" >&2; exit 1; }

# The domain-bound key, through the admin API.
key_id=$(curl -s -H "Authorization: Bearer $admin" "http://127.0.0.1:$kport/admin/v1/keys?q=${keys[19]}&match=prefix" |
  grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)
curl -s -o /dev/null -H "Authorization: Bearer $admin" -d '{"kind":"domain","value":"shop.example.com"}' \
  "http://127.0.0.1:$kport/admin/v1/keys/$key_id/activations"

export KW_TOKEN=$token KW_KEY=${keys[0]} KW_KEYS=$(IFS=,; echo "${keys[*]:0:10}") KW_REVOKED=${keys[18]} \
  KW_DOMAIN_KEY=${keys[19]} KW_UNKNOWN=PE-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ
body=$(curl -s -H "Authorization: Bearer $token" -d "{\"license_key\":\"${keys[0]}\"}" "http://127.0.0.1:$kport/api/v1/validate")
echo "keywardd answer: $body"

# nginx with the same answer as a fixed body, on its own loopback port and temporary config.
nport=$(free_port)
mkdir -p "$work/nginx"
cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nport;
    location / { default_type application/json; return 200 '$body'; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work/nginx"

wrk_rps() { # url script
  local args=(-t"$threads" -c"$connections" -d"${duration}s" --latency)
  [ -n "${2:-}" ] && args+=(-s "$2")
  wrk "${args[@]}" "$1" | tee -a "$work/wrk.log" | awk '/Requests\/sec/ {print $2}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "warm-up"
wrk -t1 -c"$connections" -d3s -s "$here/bench/server-validate.lua" "http://127.0.0.1:$kport/api/v1/validate" >/dev/null
wrk -t1 -c"$connections" -d3s "http://127.0.0.1:$nport/" >/dev/null

: >"$work/nginx.rps"; : >"$work/valid.rps"; : >"$work/mix.rps"
for run in $(seq 1 "$runs"); do
  n=$(wrk_rps "http://127.0.0.1:$nport/")
  v=$(wrk_rps "http://127.0.0.1:$kport/api/v1/validate" "$here/bench/server-validate.lua")
  m=$(wrk_rps "http://127.0.0.1:$kport/api/v1/validate" "$here/bench/server-mix.lua")
  echo "run $run: nginx $n req/s, keywardd valid key $v req/s, keywardd mix $m req/s"
  echo "$n" >>"$work/nginx.rps"; echo "$v" >>"$work/valid.rps"; echo "$m" >>"$work/mix.rps"
done
nm=$(median <"$work/nginx.rps"); vm=$(median <"$work/valid.rps"); mm=$(median <"$work/mix.rps")

echo "p99 at a fixed 1,000 requests/s (open loop, $runs runs of 10 s)"
: >"$work/p99"
for run in $(seq 1 "$runs"); do
  out=$("$rate" --port "$kport" --rate 1000 --seconds 10 --warmup 2 --connections 32 \
    --header "Authorization: Bearer $token" --body "{\"license_key\":\"${keys[0]}\"}")
  echo "$out" | head -2 | sed "s/^/run $run: /"
  echo "$out" | awk -F= '/^p99_ms=/ {print $2}' >>"$work/p99"
done
pm=$(median <"$work/p99")
counted=$(curl -s -H "Authorization: Bearer $admin" "http://127.0.0.1:$kport/admin/v1/usage" | grep -o '"count":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)

echo
echo "== keywardd validate vs nginx fixed JSON (wrk -t$threads -c$connections -d${duration}s, medians of $runs runs) =="
printf 'nginx fixed JSON:        %10.0f req/s\n' "$nm"
printf 'keywardd, valid key:     %10.0f req/s   ratio %.2f (target >= 0.5)\n' "$vm" "$(echo "$vm / $nm" | bc -l)"
printf 'keywardd, mix:           %10.0f req/s   ratio %.2f\n' "$mm" "$(echo "$mm / $nm" | bc -l)"
printf 'p99 at 1,000 req/s:      %10.3f ms      (target < 5 ms)\n' "$pm"
echo "requests counted by keywardd during the benchmark: $counted"
