#!/usr/bin/env bash
# Extracts racine's messages (the arguments of tr(), trf() and N_() in src/cli/, and the
# lint findings' forms, RACINE_FORM() in src/lint/) into
# po/racine.pot and merges them into each po/LANG.po: run it after changing a message,
# then translate what msgmerge marked new or fuzzy (docs/output.md, "Language of messages").
# tests/i18n/check_catalogs.sh fails while a message is untranslated.
set -euo pipefail
cd "$(dirname "$0")/.."
xgettext --language=C++ --from-code=UTF-8 --keyword=tr --keyword=trf --keyword=N_ \
  --keyword=RACINE_FORM \
  --add-comments=TRANSLATORS --add-location=file --sort-by-file \
  --package-name=racine \
  -o po/racine.pot src/cli/*.cpp src/cli/*.h src/lint/rules_*.cpp
for po in po/*.po; do
  msgmerge --quiet --update --backup=none "$po" po/racine.pot
  # Messages no source uses any more go (kept, they would fail check_catalogs).
  msgattrib --no-obsolete -o "$po" "$po"
done
# The lint findings' forms, and their French, in the portal's catalogs too.
python3 scripts/lint-forms-to-web.py
