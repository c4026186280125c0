#!/usr/bin/env bash
# The main job: installs what is missing, builds Keyward and starts the desktop app on the default
# local database (in the app-data folder; set KEYWARD_DB to use another file or a PostgreSQL URL).
# Without a display (e.g. over ssh) the app runs on a virtual one (Xvfb).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh"
"$here/scripts/build.sh" "$here/build" -DCMAKE_BUILD_TYPE=Release -DKEYWARD_BUILD_TESTS=OFF -DKEYWARD_BUILD_BENCH=OFF

cli="$here/build/src/cli/keyward-cli"
app="$here/build/src/gui/keyward"
db=${KEYWARD_DB:-}
args=()
[ -n "$db" ] && args=(--db "$db")

# Create the database (or bring its schema up to date) so the app opens it directly.
"$cli" "${args[@]}" init
echo "Starting Keyward ($app). The command line: $cli --help"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: running on a virtual X display (Xvfb). Close it with Ctrl+C."
  exec xvfb-run -a -s "-screen 0 1400x900x24" "$app" "${args[@]}"
fi
exec "$app" "${args[@]}"
