#!/usr/bin/env bash
# Takes the screenshots in docs/screenshots/ from the real app under Xvfb, on a database of
# KEYS keys (default 1,000,000) that it builds with the CLI: two products, customers, domains,
# a revoked key. Usage: scripts/screenshots.sh [KEYS] [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
keys=${1:-1000000}
build=${2:-$here/build-dev}
"$here/scripts/install-deps.sh" imagemagick >/dev/null
"$here/scripts/build.sh" "$build" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
cli="$build/src/cli/keyward-cli"
db="$work/shop.db"
"$cli" --db "$db" --quiet init >/dev/null
"$cli" --db "$db" --quiet product add "Photo Editor" --prefix PHOTO- --plan pro >/dev/null
"$cli" --db "$db" --quiet product add "Sound Forge" --plan free >/dev/null
"$cli" --db "$db" --quiet generate --product "Sound Forge" --count $((keys / 10)) --expires 2027-06-30 >/dev/null
"$cli" --db "$db" --quiet generate --product "Photo Editor" --count $((keys - keys / 10)) --expires 2028-01-31 >/dev/null
# A few keys that look like real sales: customers, domains, one refund.
i=0
for key in $("$cli" --db "$db" keys list --product "Photo Editor" --sort created_at --desc --limit 12 --json |
             grep -o '"key": *"[^"]*"' | cut -d'"' -f4); do
  i=$((i + 1))
  names=("Ada Lovelace" "Grace Hopper" "Alan Turing" "Katherine Johnson" "Linus Pauling" "Marie Curie"
         "Edsger Dijkstra" "Barbara Liskov" "Donald Knuth" "Hedy Lamarr" "Tim Berners-Lee" "Margaret Hamilton")
  name=${names[$((i - 1))]}
  email="$(echo "$name" | tr 'A-Z ' 'a-z.')@example.com"
  "$cli" --db "$db" --quiet keys edit "$key" --customer-name "$name" --customer-email "$email" >/dev/null 2>&1 || true
  [ "$i" -le 4 ] && "$cli" --db "$db" --quiet keys activate "$key" --domain "shop$i.example.com" >/dev/null 2>&1 || true
  [ "$i" -eq 2 ] && "$cli" --db "$db" --quiet keys revoke "$key" --reason refund --note "order 1042" >/dev/null 2>&1 || true
done
mkdir -p "$here/docs/screenshots"
xvfb-run -a -s "-screen 0 1400x900x24" "$build/tests/keyward_screenshots" "$db" "$here/docs/screenshots"
