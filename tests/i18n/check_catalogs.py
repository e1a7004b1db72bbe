#!/usr/bin/env python3
"""Checks racine's message catalogs against its sources.

usage: check_catalogs.py SRC_DIR PO_DIR [FORMS_DIR]

Extracts the messages of SRC_DIR (the arguments of tr(), trf() and N_(), as
scripts/update-po.sh does), and the lint findings' forms of FORMS_DIR/rules_*.cpp
(RACINE_FORM(); their named {placeholders} must be the same in each translation), and fails, one line per problem, when PO_DIR/racine.pot does
not list exactly those messages, or when a PO_DIR/LANG.po misses one, leaves one
untranslated or fuzzy, keeps an obsolete one, or changes the {} placeholders of one (a
translation must take the same arguments: trf would fall back to English).
"""
import glob
import os
import re
import subprocess
import sys
import tempfile


def entries(path):
    """(msgid, msgstr, fuzzy, obsolete) for every entry of a .po or .pot file."""
    text = open(path, encoding="utf-8").read()
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip().split("\n")
        obsolete = any(l.startswith("#~") for l in lines)
        lines = [l[3:] if l.startswith("#~ ") else l for l in lines]
        fuzzy = any(l.startswith("#,") and "fuzzy" in l for l in lines)
        field, values = None, {"msgid": "", "msgstr": ""}
        for l in lines:
            m = re.match(r'^(msgid|msgstr)\s+(".*")$', l)
            if m:
                field = m.group(1)
                values[field] = m.group(2)[1:-1]
            elif l.startswith('"') and field:
                values[field] += l[1:-1]
            elif not l.startswith("#"):
                field = None
        if values["msgid"] or values["msgstr"]:
            out.append((values["msgid"], values["msgstr"], fuzzy, obsolete))
    return out


def main():
    src, po_dir = sys.argv[1], sys.argv[2]
    sources = sorted(glob.glob(os.path.join(src, "*.cpp")) + glob.glob(os.path.join(src, "*.h")))
    if len(sys.argv) > 3:
        sources += sorted(glob.glob(os.path.join(sys.argv[3], "rules_*.cpp")))
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "fresh.pot")
        subprocess.run(["xgettext", "--language=C++", "--from-code=UTF-8", "--keyword=tr",
                        "--keyword=trf", "--keyword=N_", "--keyword=RACINE_FORM", "-o", pot] + sources, check=True)
        wanted = {e[0] for e in entries(pot) if e[0]}
    problems = []
    template = os.path.join(po_dir, "racine.pot")
    if not os.path.exists(template):
        problems.append(f"{template}: missing (run scripts/update-po.sh)")
    else:
        listed = {e[0] for e in entries(template) if e[0] and not e[3]}
        for m in sorted(wanted - listed):
            problems.append(f"{template}: lacks {m!r} (run scripts/update-po.sh)")
        for m in sorted(listed - wanted):
            problems.append(f"{template}: lists {m!r}, which no source uses (run scripts/update-po.sh)")
    catalogs = sorted(glob.glob(os.path.join(po_dir, "*.po")))
    if not catalogs:
        problems.append(f"{po_dir}: no LANG.po catalog")
    for po in catalogs:
        seen = set()
        for msgid, msgstr, fuzzy, obsolete in entries(po):
            if not msgid:
                continue
            if obsolete:
                problems.append(f"{po}: obsolete entry {msgid!r} (remove it)")
                continue
            seen.add(msgid)
            if msgid not in wanted:
                problems.append(f"{po}: {msgid!r} is used by no source")
            elif fuzzy:
                problems.append(f"{po}: {msgid!r} is fuzzy: check the translation, then drop the flag")
            elif not msgstr:
                problems.append(f"{po}: {msgid!r} is not translated")
            elif msgid.count("{}") != msgstr.count("{}"):
                problems.append(f"{po}: {msgid!r} has {msgid.count('{}')} placeholders, "
                                f"its translation {msgstr.count('{}')}")
            elif sorted(re.findall(r"\{(\w+)\}", msgid)) != sorted(re.findall(r"\{(\w+)\}", msgstr)):
                problems.append(f"{po}: {msgid!r} and its translation name different values")
        for m in sorted(wanted - seen):
            problems.append(f"{po}: lacks {m!r} (run scripts/update-po.sh, then translate it)")
    for p in problems:
        print(p)
    if problems:
        print(f"check_catalogs: {len(problems)} problem(s)")
        return 1
    print(f"check_catalogs: {len(wanted)} messages, {len(catalogs)} catalog(s), all translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
