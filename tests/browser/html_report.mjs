// The HTML report in a real browser: Debian's chromium driven by playwright-core.
// Opens the seed's page from a file URL, searches, selects a party, checks that no
// request leaves the page and that an escaped title runs no script; keeps a screenshot
// under the build folder. Usage: node html_report.mjs RACINE SOURCE_DIR OUT_DIR
// Without chromium or playwright-core it fails under CI=true and is skipped (exit 77)
// elsewhere, as tests/prerequisites.sh does for the shell tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';

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
const require = createRequire(resolve(src, '.cache/playwright/package.json'));
const { chromium } = require('playwright-core');

const work = mkdtempSync(join(tmpdir(), 'racine-html-'));
const seedHtml = join(work, 'seed.html');
execFileSync(racine, ['export', '--format', 'html', '-o', seedHtml]);
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
  assert.equal((await visible()).length, 71);
  await page.fill('#search', 'sauvegarde');
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
  // Lint findings on their rows, delegable cells with the note as a tooltip, the chart.
  assert.match(await page.textContent('#gerer-la-securite-du-service-kubernetes'), /RAC202 error/);
  const tip = await page.getAttribute('#configurer-les-pipelines-ci-cd td.delegable', 'title');
  assert.match(tip, /^option infogerance-complementaire: Ces responsabilités peuvent être déléguées/);
  assert.equal(await page.locator('#chart rect.bar').count(), 8);
  await page.selectOption('#party', '');
  await page.fill('#search', '');
  await page.screenshot({ path: join(out, 'html-report-seed.png'), fullPage: true });
  assert.deepEqual(requests, []);

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
  console.log('html report: search, party selector, tooltips, chart, no request, no script from titles; ' +
              'screenshot in ' + join(out, 'html-report-seed.png'));
} finally {
  await browser.close();
}
