// The roles' colours (data/palette.csv), checked for people and in the three outputs
// that use them (ctest `palette`):
// - every letter on its fill has a WCAG contrast of at least 4.5:1;
// - every two role fills stay at least MIN_DE apart (CIEDE2000) for normal vision and as
//   simulated for protanopia, deuteranopia and tritanopia (Machado et al. 2009);
// - the portal's /assets/palette.css (generated, embedded) and the HTML report define
//   each role's fill and ink as the palette does, and no other role colour;
// - the workbook's role cells use the palette's fill and ink, and nothing else.
// usage: node check.mjs RACINE SOURCE_DIR BUILD_DIR
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SIMULATIONS, contrast, distance, readPalette } from './palette.mjs';

const [racine, source, build] = process.argv.slice(2);
const MIN_CONTRAST = 4.5;
const MIN_DE = 12;
const palette = readPalette(source);
const roles = [...palette.keys()].filter(k => k !== 'other');
assert.deepEqual(roles, ['R', 'A', 'C', 'I', 'S', 'D'], 'palette.csv names R, A, C, I, S, D');

let failures = 0;
const check = (ok, what) => { if (!ok) { failures++; console.error('FAIL ' + what); } };

for (const [k, { fill, ink }] of palette) {
  const c = contrast(fill, ink);
  console.log(`contrast ${k.padEnd(5)} ${ink} on ${fill}: ${c.toFixed(2)}:1`);
  check(c >= MIN_CONTRAST, `${k}: contrast ${c.toFixed(2)} < ${MIN_CONTRAST}`);
}
for (const vision of ['normal', ...Object.keys(SIMULATIONS)]) {
  let min = Infinity, pair = '';
  const figures = [];
  for (let i = 0; i < roles.length; i++) {
    for (let j = i + 1; j < roles.length; j++) {
      const d = distance(palette.get(roles[i]).fill, palette.get(roles[j]).fill, vision);
      figures.push(`${roles[i]}${roles[j]} ${d.toFixed(1)}`);
      if (d < min) { min = d; pair = roles[i] + '/' + roles[j]; }
      check(d >= MIN_DE, `${vision}: ${roles[i]} and ${roles[j]} ${d.toFixed(1)} apart (< ${MIN_DE})`);
    }
  }
  console.log(`${vision.padEnd(12)} closest ${pair} ${min.toFixed(1)} | ${figures.join(', ')}`);
}

// The CSS text: each role's custom properties and class, nothing else of a role.
function checkCss(text, where) {
  const css = text.replace(/\/\*[\s\S]*?\*\//g, '');  // comments say nothing
  for (const [k, { fill, ink }] of palette) {
    check(css.includes(`--role-${k}: ${fill}; --role-${k}-ink: ${ink};`), `${where}: --role-${k} is not ${fill} on ${ink}`);
    check(css.includes(`.role-${k} { background: var(--role-${k}); color: var(--role-${k}-ink); }`),
      `${where}: .role-${k} does not take the palette's colours`);
  }
  // A rule for a role class that sets a colour of its own.
  for (const m of css.matchAll(/\.role(-[A-Za-z]+)?\b[^{]*\{([^}]*)\}/g)) {
    const decl = m[2];
    if (/var\(--role-/.test(decl)) continue;
    check(!/(^|;)\s*(color|background(-color)?|fill)\s*:/.test(decl), `${where}: a role rule sets its own colour: ${m[0]}`);
  }
  // Old names of role colours (--r, --a-bg...) are gone.
  check(!/--[racisd](-bg)?\s*:/.test(css), `${where}: a role colour outside the palette (--r, --a-bg...)`);
}

const generated = fs.readFileSync(path.join(build, 'src', 'generated', 'palette.css'), 'utf8');
checkCss(generated, 'palette.css');
checkCss(fs.readFileSync(path.join(source, 'web', 'style.css'), 'utf8') + generated, 'web/style.css');
const served = execFileSync(racine, ['export', '--format', 'html'], { encoding: 'utf8' });
const style = /<style>([\s\S]*?)<\/style>/.exec(served)[1];
checkCss(style, 'HTML report');
check(style.includes(generated), 'HTML report: the style does not hold palette.css as generated');
for (const m of served.matchAll(/style="fill: ([^"]*)"/g)) {
  check(/^var\(--role-[A-Z]\)$/.test(m[1]), `HTML report: a chart bar filled with ${m[1]}`);
}

// The workbook: every cell format with a fill other than the header's and the
// sections' is a role's, its font the role's ink.
const tmp = fs.mkdtempSync(path.join(build, 'palette-'));
const xlsx = path.join(tmp, 'seed.xlsx');
execFileSync(racine, ['export', '--format', 'xlsx', '-o', xlsx]);
const styles = execFileSync('python3', ['-c',
  'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("xl/styles.xml").decode())', xlsx],
{ encoding: 'utf8' });
fs.rmSync(tmp, { recursive: true, force: true });
const section = (tag) => (new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`).exec(styles) || [, ''])[1];
const fills = [...section('fills').matchAll(/<fill>([\s\S]*?)<\/fill>/g)].map(m =>
  ((/<fgColor rgb="FF([0-9A-F]{6})"/.exec(m[1]) || [])[1] || '').toLowerCase());
const fonts = [...section('fonts').matchAll(/<font>([\s\S]*?)<\/font>/g)].map(m =>
  ((/<color rgb="FF([0-9A-F]{6})"/.exec(m[1]) || [])[1] || '').toLowerCase());
const NOT_ROLES = new Set(['f4f6f7', 'eaf2f8']);  // the header row's and the sections' fills
const byFill = new Map([...palette].map(([k, v]) => [v.fill.slice(1), { k, ...v }]));
const used = new Set();
for (const m of section('cellXfs').matchAll(/<xf [^>]*fontId="(\d+)" fillId="(\d+)"/g)) {
  const fill = fills[Number(m[2])];
  if (!fill || NOT_ROLES.has(fill)) continue;
  const role = byFill.get(fill);
  check(!!role, `workbook: a cell filled with #${fill}, not a role's colour`);
  if (!role) continue;
  used.add(role.k);
  check(fonts[Number(m[1])] === role.ink.slice(1), `workbook: ${role.k}'s letter is #${fonts[Number(m[1])]}, not ${role.ink}`);
}
console.log('workbook: role fills used', [...used].join(' '));
check(['R', 'A', 'C', 'I'].every(k => used.has(k)), 'workbook: the seed uses R, A, C and I fills');

if (failures) { console.error(`${failures} palette check(s) failed`); process.exit(1); }
console.log('palette: ok');
