#!/usr/bin/env bash
# Fails when a user-visible string of the desktop app has no German translation: runs lupdate
# over the sources and forms into a copy of the committed .ts and looks for unfinished entries.
set -euo pipefail
lupdate=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/translations/keyward_de.ts" "$work/keyward_de.ts"
"$lupdate" -silent -no-obsolete -locations none "$src/src/gui" "$src/ui" -ts "$work/keyward_de.ts"
if grep -n 'type="unfinished"' "$work/keyward_de.ts"; then
    echo "Untranslated strings (above): add them to translations/keyward_de.ts (update_translations target)." >&2
    exit 1
fi
echo "German translation complete: $(grep -c '<source>' "$work/keyward_de.ts") strings."
