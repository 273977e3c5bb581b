#!/usr/bin/env bash
# Regenerate and compile the English translation of the web interface.
#
# Message ids are the Chinese texts themselves, so Simplified Chinese (the
# default) needs no catalogue; src/jixiao/locale/en/LC_MESSAGES/django.po holds
# the English. Run this after adding or changing {% translate %} /
# {% blocktranslate %} / gettext strings, translate the new (empty) entries in
# the .po, then run it again so the committed django.mo matches. Installs need
# no gettext tools because django.mo is committed; this script needs
# msgfmt/xgettext/msgmerge (Debian: apt-get install gettext).
#
#   scripts/i18n.sh           # makemessages + compilemessages
#   scripts/i18n.sh --check   # also fail if an entry is untranslated or fuzzy
#
# makemessages runs from src/jixiao so every app's strings are collected into
# LOCALE_PATHS (src/jixiao/locale), and not into a per-app locale folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${VENV:-$root/.venv}"
jixiao="$venv/bin/jixiao"
po="$root/src/jixiao/locale/en/LC_MESSAGES/django.po"
# A throwaway data dir: settings create a secret key and a database folder there.
data_dir="$(mktemp -d)"
trap 'rm -rf "$data_dir"' EXIT
export JIXIAO_DATA_DIR="$data_dir"

cd "$root/src/jixiao"
# --add-location=file: no line numbers, so unrelated edits do not churn the .po.
"$jixiao" manage makemessages -l en --no-obsolete --add-location file
"$jixiao" manage compilemessages -l en

if [[ "${1:-}" == "--check" ]]; then
  # msgattrib prints the entries that are untranslated or fuzzy (nothing when all are done).
  left="$(msgattrib --untranslated "$po"; msgattrib --only-fuzzy "$po")"
  if [[ -n "$left" ]]; then
    echo "$left"
    echo "i18n.sh: untranslated or fuzzy entries in $po" >&2
    exit 1
  fi
fi
echo "i18n.sh: $(grep -c '^msgid ' "$po") messages in $po (the first is the header)"
