#!/usr/bin/env bash
# The main job: installs what is missing, builds Keyward and starts it on the default local
# database (in the app-data folder; set KEYWARD_DB to use another file or a PostgreSQL URL).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh"
"$here/scripts/build.sh" "$here/build" -DCMAKE_BUILD_TYPE=Release -DKEYWARD_BUILD_TESTS=OFF -DKEYWARD_BUILD_BENCH=OFF

cli="$here/build/src/cli/keyward-cli"
db=${KEYWARD_DB:-}
args=()
[ -n "$db" ] && args=(--db "$db")

# Until the desktop app lands: a short CLI session on the default database.
"$cli" "${args[@]}" init
if ! "$cli" "${args[@]}" product show Demo >/dev/null 2>&1; then
  "$cli" "${args[@]}" product add Demo --plan free
fi
echo "Generating 5 keys for the product Demo:"
"$cli" "${args[@]}" --quiet generate --product Demo --count 5
echo "The newest keys:"
"$cli" "${args[@]}" keys list --product Demo --sort created_at --desc --limit 10
echo
echo "More: $cli --help"
