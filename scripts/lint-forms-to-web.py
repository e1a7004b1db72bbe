#!/usr/bin/env python3
"""Writes the lint findings' forms and their French (po/fr.po, the entries located in
src/lint/) into the portal's catalogs as "lint.form:<English form>": one translation
serves the CLI and the portal. scripts/update-po.sh runs it; tests/i18n/portal.mjs fails
when the catalogs and po/fr.po disagree."""
import json
import re
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)


def unquote(block):
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return json.loads('"' + ''.join(parts) + '"')


forms = {}
for entry in (root / 'po' / 'fr.po').read_text(encoding='utf-8').split('\n\n'):
    if not re.search(r'^#: .*src/lint/', entry, re.M):
        continue
    m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', entry, re.M)
    if m:
        forms[unquote(m.group(1))] = unquote(m.group(2))

for lang in ('en', 'fr'):
    path = root / 'web' / 'i18n' / f'{lang}.json'
    catalog = json.loads(path.read_text(encoding='utf-8'))
    catalog = {k: v for k, v in catalog.items() if not k.startswith('lint.form:')}
    for form, french in forms.items():
        catalog['lint.form:' + form] = form if lang == 'en' else french
    text = json.dumps(dict(sorted(catalog.items())), ensure_ascii=False, indent=1)
    path.write_text(text + '\n', encoding='utf-8')
print(f'{len(forms)} lint forms in web/i18n/en.json and fr.json')
