// The HTML report in a real browser: Debian's chromium driven by playwright-core.
// Opens the seed's page from a file URL: French labels (the seed is French; English with
// --lang en), searches, selects a party, checks the findings' styles per severity (the
// computed styles, not only the class names), the notes under their sections, the
// options' explanation shown on the page, the chart's title and labels, the print
// stylesheet (print media: no tool bar, header row repeated; printed to PDF: A4
// landscape pages, each with the header row, checked with poppler-utils), that no
// request leaves the page and that an escaped title runs no script; keeps screenshots
// under the build folder. Usage: node html_report.mjs RACINE SOURCE_DIR OUT_DIR
// Without chromium, playwright-core or poppler-utils it fails under CI=true and is
// skipped (exit 77) elsewhere, as tests/prerequisites.sh does for the shell tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { cssHex, readPalette } from '../palette/palette.mjs';

const [racine, src, out] = process.argv.slice(2);
const missing = what => {
  if (process.env.CI === 'true') {
    console.error(`error: CI=true and ${what}`);
    process.exit(1);
  }
  console.log(`skipped: ${what}`);
  process.exit(77);
};
if (!existsSync('/usr/bin/chromium')) missing('chromium is absent: run make deps-test (chromium)');
if (!existsSync(resolve(src, '.cache/playwright/node_modules/playwright-core'))) {
  missing('playwright-core is absent from .cache/playwright: run make deps-test');
}
if (!existsSync('/usr/bin/pdfinfo') || !existsSync('/usr/bin/pdftotext')) {
  missing('pdfinfo and pdftotext are absent: run make deps-test (poppler-utils)');
}
const require = createRequire(resolve(src, '.cache/playwright/package.json'));
const { chromium } = require('playwright-core');

const work = mkdtempSync(join(tmpdir(), 'racine-html-'));
const seedHtml = join(work, 'seed.html');
execFileSync(racine, ['export', '--format', 'html', '-o', seedHtml]);
const seedEn = join(work, 'seed-en.html');
execFileSync(racine, ['export', '--format', 'html', '--lang', 'en', '-o', seedEn]);
// Markdown drops inline HTML when it reads; the canonical format keeps titles as written.
const xssMd = join(work, 'xss.yaml');
writeFileSync(xssMd, JSON.stringify({
  racine: 1, title: '<img src=x onerror=alert(1)>',
  parties: [{ id: 'client', name: 'Client <b>' }, { id: 'provider', name: 'Provider' }],
  sections: [{ title: '<script>window.pwned = 1</script>', activities: [
    { title: '<img src=x onerror="window.pwned=2">', roles: { client: 'RA', provider: 'I' } },
    { title: '"quoted" & \'apostrophes\'', roles: { client: 'C', provider: 'RA' } }] }],
  gray_zone: '<iframe src="https://example.org"></iframe>' }));
const xssHtml = join(work, 'xss.html');
execFileSync(racine, ['export', '--format', 'html', xssMd, '-o', xssHtml]);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const requests = [];
  page.on('request', r => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  const dialogs = [];
  page.on('dialog', d => { dialogs.push(d.message()); d.dismiss(); });
  const visible = () => page.$$eval('tbody tr.activity', rows =>
    rows.filter(r => !r.hidden).map(r => r.querySelector('th').firstChild.textContent));

  await page.goto('file://' + seedHtml);
  // Every role badge and chart bar in the palette's colours (data/palette.csv).
  const palette = readPalette(src);
  const badges = await page.$$eval('.role', els => els.map(e => [e.textContent, getComputedStyle(e).backgroundColor, getComputedStyle(e).color]));
  assert.ok(badges.length > 100, 'the seed has role badges');
  for (const [letter, bg, fg] of badges) {
    const want = palette.get(letter) || palette.get('other');
    assert.deepEqual([cssHex(bg), cssHex(fg)], [want.fill, want.ink], `the badge ${letter}'s colours`);
  }
  const bars = await page.$$eval('rect.bar', els => els.map(e => [e.querySelector('title').textContent, getComputedStyle(e).fill]));
  assert.ok(bars.length >= 8, 'the chart has bars');
  for (const [title, fill] of bars) {
    const letter = /\b([RACISD])\s*:/.exec(title)[1];
    assert.equal(cssHex(fill), palette.get(letter).fill, `the chart bar ${title}`);
  }
  // French, the seed's language.
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.equal(await page.getAttribute('#search', 'placeholder'), 'Rechercher une activité');
  assert.equal(await page.textContent('thead th:first-child'), 'Activité');
  assert.equal(await page.textContent('#party option[value=""]'), 'Toutes les parties');
  assert.equal(await page.textContent('.legend'),
               'Rôles : R Responsable A Approbateur C Consulté I Informé');
  assert.equal((await visible()).length, 71);
  const notes = () => page.$$eval('tbody tr.note', rows => rows.filter(r => !r.hidden).length);
  assert.equal(await notes(), 6);
  await page.fill('#search', 'sauvegarde');
  assert.equal(await notes(), 3);  // the notes of the three sections with rows left
  assert.deepEqual(await visible(), [
    'Définir la stratégie de sauvegarde pour le service Kubernetes',
    'Mettre en oeuvre et gérer les sauvegardes du service Kubernetes',
    'Définir la stratégie de sauvegarde pour les applications',
    'Mettre en oeuvre et gérer les sauvegardes des applications',
    'Sauvegarde des données des ressources des Opérateurs',
    'Sauvegarde des données des ressources des Opérateurs',
  ]);
  await page.fill('#search', 'SECURITE');  // accents and case do not matter
  assert.equal((await visible()).length, 5);
  await page.fill('#search', '');
  await page.selectOption('#party', 'client');  // what the Client does: R or A
  const client = await visible();
  assert.equal(client.length, 33);
  assert.equal(client[0], 'Créer et gérer les projets Kubernetes');
  await page.fill('#search', 'sauvegarde');
  assert.deepEqual(await visible(), [
    'Définir la stratégie de sauvegarde pour les applications',
    'Mettre en oeuvre et gérer les sauvegardes des applications',
    'Sauvegarde des données des ressources des Opérateurs',
  ]);
  await page.selectOption('#party', '');
  await page.fill('#search', '');
  // Lint findings on their rows, styled by severity: errors red and bold, warnings amber,
  // infos grey, smaller and italic (discreet).
  assert.equal(await page.textContent('#gerer-la-securite-du-service-kubernetes li.finding'),
               'RAC202 erreur : 2 parties are Accountable (Client, Cloud Temple): exactly one must be');
  assert.equal(await page.locator('li.finding-error').count(), 2);
  assert.equal(await page.locator('li.finding-warning').count(), 1);
  assert.equal(await page.locator('li.finding-info').count(), 15);
  const style = sel => page.$eval(sel, e => {
    const c = getComputedStyle(e);
    return { color: c.color, weight: c.fontWeight, size: parseFloat(c.fontSize), style: c.fontStyle };
  });
  const error = await style('li.finding-error'), warning = await style('li.finding-warning');
  const info = await style('li.finding-info');
  assert.deepEqual(error, { color: 'rgb(176, 58, 46)', weight: '700', size: error.size, style: 'normal' });
  assert.deepEqual(warning, { color: 'rgb(154, 91, 0)', weight: '400', size: warning.size, style: 'normal' });
  assert.deepEqual(info, { color: 'rgb(138, 147, 155)', weight: '400', size: info.size, style: 'italic' });
  assert.ok(info.size < error.size, `info ${info.size}px is not smaller than error ${error.size}px`);
  const rule = sel => page.$eval(sel, e => getComputedStyle(e).borderLeftColor);
  assert.notEqual(await rule('tr.flagged-error > th'), await rule('tr.flagged-info > th'));
  // Only the findings take their severity's style, not the rest of their row.
  const title = sel => page.$eval(sel, e => {
    const c = getComputedStyle(e);
    return [c.display, c.color, c.fontStyle];
  });
  assert.deepEqual(await title('tr.flagged-info'), ['table-row', 'rgb(34, 34, 34)', 'normal']);
  assert.deepEqual(await title('tr.flagged-error > th'), ['table-cell', 'rgb(34, 34, 34)', 'normal']);
  assert.equal(await page.$eval('tr.flagged-error', r => r.cells.length), 3);
  // The RAC302 warning is on the note it is about.
  assert.match(await page.textContent('tr.note.flagged-warning'),
               /^\* Package opérateur inclus sur Managed Kube.*RAC302 avertissement : note/);
  // Every note under its section with its marker; an option's note names the option.
  const after = await page.$$eval('tbody tr.note', rows => rows.map(r =>
    [r.previousElementSibling.id, r.querySelector('.marker').textContent, r.textContent]));
  assert.equal(after.length, 6);
  assert.deepEqual(after[0], ['gerer-les-images-de-conteneurs-et-les-registres', '*',
    "* Ces responsabilités peuvent être déléguées à Cloud Temple via un contrat d'infogérance " +
    'complémentaire. (option infogerance-complementaire)']);
  assert.equal(after.filter(a => a[2].endsWith('(option infogerance-complementaire)')).length, 4);
  // Delegable cells: the note as a tooltip, and the option explained on the page itself.
  const tip = await page.getAttribute('#configurer-les-pipelines-ci-cd td.delegable', 'title');
  assert.match(tip, /^option infogerance-complementaire : Ces responsabilités peuvent être déléguées/);
  assert.ok(await page.isVisible('#options'));
  assert.deepEqual((await page.innerText('#options')).split('\n').filter(l => l.trim() !== ''), [
    'Options du contrat', '* option infogerance-complementaire',
    "Ces responsabilités peuvent être déléguées à Cloud Temple via un contrat d'infogérance complémentaire.",
    '22 cellules entourées de tirets pourraient être confiées avec cette option.']);
  // The chart: titled, an axis title, ticks, a letter under each of its 8 bars.
  assert.equal(await page.textContent('#chart-figure figcaption'), 'Rôles par partie');
  assert.equal(await page.getAttribute('#chart', 'aria-labelledby'), 'chart-title');
  assert.equal(await page.textContent('#chart .axis-title'), 'Activités');
  assert.deepEqual(await page.$$eval('#chart .tick', t => t.map(e => e.textContent)), ['0', '19', '39']);
  assert.equal(await page.locator('#chart rect.bar').count(), 8);
  assert.deepEqual(await page.$$eval('#chart .bar-letter', t => t.map(e => e.textContent).join('')),
                   'RACIRACI');
  assert.deepEqual(await page.$$eval('#chart .party', t => t.map(e => e.textContent)),
                   ['Client', 'Cloud Temple']);
  await page.screenshot({ path: join(out, 'html-report-seed.png'), fullPage: true });
  await page.screenshot({ path: join(out, 'html-report-seed-fr.png') });
  // The rows with findings of each severity (docs/img/html-report-seed-fr-findings.png).
  await page.$eval('#appliquer-les-correctifs-de-securite-a-kubernetes', e => e.scrollIntoView());
  await page.screenshot({ path: join(out, 'html-report-seed-fr-findings.png') });
  // Printing: no tool bar (sticky on screen), the header row repeated, nothing sticky.
  const toolbar = () => page.$eval('#toolbar', e => getComputedStyle(e).display + ' ' + getComputedStyle(e).position);
  assert.equal(await toolbar(), 'flex sticky');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await toolbar(), 'none sticky');
  assert.equal(await page.$eval('thead', e => getComputedStyle(e).display), 'table-header-group');
  assert.equal(await page.$eval('thead th', e => getComputedStyle(e).position), 'static');
  assert.equal(await page.$eval('tbody th', e => getComputedStyle(e).position), 'static');
  await page.emulateMedia({ media: null });  // page.pdf() prints with the print media
  const pdf = join(work, 'seed.pdf');
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  execFileSync('cp', [pdf, join(out, 'html-report-seed.pdf')]);
  const info_ = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info_)[1]);
  const sizes = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages), pdf], { encoding: 'utf8' })
    .split('\n').filter(l => /^Page\s+\d+ size:/.test(l));
  assert.equal(sizes.length, pages);
  for (const s of sizes) assert.match(s, /size:\s+841\.92 x 594\.96 pts \(A4\)/, s);  // A4 landscape
  // Every page that shows rows of the table starts them under the header row, and every
  // row is printed. How many pages that takes depends on chromium's version and the fonts
  // (6 pages, 5 of them with rows, with chromium 156 and Debian 12's fonts): not pinned,
  // but the table must run over several pages, or the repeated header is not tested. A
  // row is known by its title's first three words (a title may wrap after them).
  const starts = [...new Set((await visible()).map(t => t.split(/\s+/).slice(0, 3).join(' ')))];
  assert.ok(starts.length > 40, 'the titles of the rows');
  const printed = new Set();
  let withRows = 0;
  for (let p = 1; p <= pages; p++) {
    const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), '-layout', pdf, '-'],
                              { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
    const here = starts.filter(s => text.includes(s));
    assert.doesNotMatch(text, /Rechercher une activité/);
    if (!here.length) continue;
    withRows++;
    here.forEach(s => printed.add(s));
    assert.match(text, /Activité\s+Client\s+Cloud Temple/, `page ${p} lacks the header row`);
  }
  assert.deepEqual(starts.filter(s => !printed.has(s)), [], 'rows missing from the PDF');
  assert.ok(withRows >= 2, `${withRows} of ${pages} printed pages show the table`);
  assert.deepEqual(requests, []);

  // The same page with --lang en: English labels.
  const en = await browser.newPage();
  await en.goto('file://' + seedEn);
  assert.equal(await en.getAttribute('html', 'lang'), 'en');
  assert.equal(await en.getAttribute('#search', 'placeholder'), 'Search activities');
  assert.equal(await en.textContent('thead th:first-child'), 'Activity');
  assert.equal(await en.textContent('#chart-figure figcaption'), 'Roles per party');
  assert.equal(await en.textContent('#gerer-la-securite-du-service-kubernetes li.finding'),
               'RAC202 error: 2 parties are Accountable (Client, Cloud Temple): exactly one must be');
  assert.match(await en.textContent('#options h2'), /^Contract options$/);

  const xss = await browser.newPage();
  xss.on('dialog', d => { dialogs.push(d.message()); d.dismiss(); });
  xss.on('request', r => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  await xss.goto('file://' + xssHtml);
  assert.equal(await xss.textContent('h1'), '<img src=x onerror=alert(1)>');
  assert.equal(await xss.evaluate(() => window.pwned), undefined);
  assert.equal(await xss.locator('img').count(), 0);
  assert.equal(await xss.textContent('tr.section th'), '<script>window.pwned = 1</script>');
  assert.equal(await xss.locator('iframe').count(), 0);
  assert.equal(await xss.textContent('thead th:nth-child(2)'), 'Client <b>');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(requests, []);
  console.log(`html report: French and English labels, search, party selector, findings styled by severity, notes, ` +
              `options, chart, print (${pages} A4 landscape pages, ${withRows} with the table), no request, no script from titles; ` +
              'screenshots in ' + join(out, 'html-report-seed.png') + ' and html-report-seed-fr.png');
} finally {
  await browser.close();
}
