// The portal's catalogs (web/i18n/en.json, fr.json), ctest `portal_catalogs`: fails on a
// message missing from either catalog, as check_catalogs.py does for the CLI's.
// - the same keys in both, none empty; a ".one" plural variant has its base key;
// - every label the pages name literally (t('key')) is in both;
// - every error code the server sends (error(STATUS, "code", ...) under src/server,
//   src/service, src/store) has its sentence, error.CODE, in both: a refusal is never
//   shown in the server's English on a French page;
// - every lint rule (docs/rules/RACnnn.md) has its sentence, lint.rule.RACnnn, in both;
// - every reason a sign-in fails for (people.cpp: ?reason=CODE) has signin.reason.CODE;
// - every lint finding's form of po/fr.po is lint.form:FORM in both, French as the po's;
// - French typography: a narrow no-break space (U+202F) before : ; ? ! and inside « »,
//   never a plain or missing one; a typographic apostrophe (’), never a straight one.
// usage: node portal.mjs SOURCE_DIR
import fs from 'node:fs';
import path from 'node:path';

const src = process.argv[2];
const read = f => JSON.parse(fs.readFileSync(path.join(src, 'web', 'i18n', f), 'utf8'));
const en = read('en.json');
const fr = read('fr.json');
const problems = [];
const need = (key, why) => {
  for (const [name, cat] of [['en.json', en], ['fr.json', fr]]) {
    if (!(key in cat)) problems.push(`${name} lacks '${key}' (${why})`);
  }
};

for (const k of new Set([...Object.keys(en), ...Object.keys(fr)])) need(k, 'the other catalog has it');
for (const [name, cat] of [['en.json', en], ['fr.json', fr]]) {
  for (const [k, v] of Object.entries(cat)) {
    if (typeof v !== 'string' || !v.trim()) problems.push(`${name}: '${k}' is empty`);
    if (k.endsWith('.one') && !(k.slice(0, -4) in cat)) problems.push(`${name}: '${k}' has no base key`);
  }
}

const web = path.join(src, 'web');
for (const file of fs.readdirSync(web).filter(f => f.endsWith('.js'))) {
  const code = fs.readFileSync(path.join(web, file), 'utf8');
  for (const [, key] of code.matchAll(/\bt\('([a-z_.@]*[a-z_])'[,)]/g)) need(key, `used in web/${file}`);
}

const codes = new Set();
const walk = dir => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(cpp|h)$/.test(e.name)) {
      const text = fs.readFileSync(p, 'utf8');
      // error(Status::x, "code", ...), error(400, "code", ...), a ternary of two codes,
      // and the literal error bodies of http.cpp and portal.cpp.
      for (const m of text.matchAll(/\berror\(\s*(?:Status::\w+|\d+)\s*,\s*(?:[\w!]+\s*\?\s*)?"([a-z_]+)"(?:\s*:\s*"([a-z_]+)")?/g)) {
        codes.add(m[1]);
        if (m[2]) codes.add(m[2]);
      }
      for (const m of text.matchAll(/\{"error":\{"code":"([a-z_]+)"/g)) codes.add(m[1]);
    }
  }
};
for (const d of ['server', 'service', 'store']) walk(path.join(src, 'src', d));
if (codes.size < 20) problems.push(`only ${codes.size} error codes found in src/: the scan is broken`);
for (const c of codes) need('error.' + c, 'an error code the server sends');

// Every reason a failed sign-in comes back with (?reason=CODE, src/service/people.cpp)
// has its sentence, signin.reason.CODE.
const people = fs.readFileSync(path.join(src, 'src', 'service', 'people.cpp'), 'utf8');
const reasons = new Set([...people.matchAll(/reason=([a-z_]+)&|failed\("([a-z_]+)"/g)].map(m => m[1] || m[2]));
if (reasons.size < 7) problems.push(`only ${reasons.size} sign-in reasons found in people.cpp: the scan is broken`);
for (const r of reasons) need('signin.reason.' + r, 'a reason a sign-in fails for');

// The lint findings' forms: the catalogs hold each form of po/fr.po (entries located in
// src/lint/) as lint.form:FORM, English as itself and French as the po's
// (scripts/lint-forms-to-web.py writes them): one translation for the CLI and the portal.
const po = fs.readFileSync(path.join(src, 'po', 'fr.po'), 'utf8');
const unquote = block => JSON.parse('"' + [...block.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(m => m[1]).join('') + '"');
let forms = 0;
for (const entry of po.split('\n\n')) {
  if (!/^#: .*src\/lint\//m.test(entry)) continue;
  const m = entry.match(/^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)/m);
  if (!m) continue;
  const form = unquote(m[1]);
  const french = unquote(m[2]);
  forms++;
  if (en['lint.form:' + form] !== form) problems.push(`en.json: 'lint.form:${form}' is missing or differs: run scripts/update-po.sh`);
  if (fr['lint.form:' + form] !== french) problems.push(`fr.json: 'lint.form:${form}' differs from po/fr.po: run scripts/update-po.sh`);
}
if (forms < 20) problems.push(`only ${forms} lint forms found in po/fr.po: the scan is broken`);
for (const k of Object.keys(en)) {
  if (k.startsWith('lint.form:') && !po.includes(JSON.stringify(k.slice(10)).slice(0, 40)))
    problems.push(`en.json: '${k}' is no form of po/fr.po any more: run scripts/update-po.sh`);
}

const rules = fs.readdirSync(path.join(src, 'docs', 'rules')).filter(f => /^RAC\d+\.md$/.test(f));
for (const r of rules) need('lint.rule.' + r.slice(0, -3), 'a lint rule');

for (const [k, v] of Object.entries(fr)) {
  // "{line}:{column}" is a position, not a colon of the sentence.
  const text = v.replace(/\{\w+\}:\{\w+\}/g, '0:0').replace(/\{\w+\}/g, 'X');
  if (/[ \u00a0][:;?!]/.test(text)) problems.push(`fr.json '${k}': a plain space before : ; ? ! (U+202F): ${v}`);
  if (/[^\s\u202f\d][;?!]/.test(text) || /[^\s\u202f\d]:(?!\d)/.test(text)) {
    problems.push(`fr.json '${k}': no narrow no-break space before : ; ? !: ${v}`);
  }
  if (/«(?!\u202f)|(?<!\u202f)»/.test(text)) problems.push(`fr.json '${k}': « » without U+202F inside: ${v}`);
  if (text.includes("'")) problems.push(`fr.json '${k}': a straight apostrophe (’): ${v}`);
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} problem(s) in the portal's catalogs`);
  process.exit(1);
}
console.log(`portal catalogs: ${Object.keys(en).length} keys in both, ${codes.size} error codes, ${rules.length} lint rules, French typography ok`);
