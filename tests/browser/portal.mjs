// The web portal in a real browser: Debian's chromium driven by playwright-core against
// a real `racine serve` started here on 127.0.0.1 (a port of its own choosing), on
// SQLite and, when tests/pg/pg.sh started a private server (RACINE_TEST_PG_STATE), on
// PostgreSQL. Journeys: a provider uploads a version with a lint error, sees the
// preview, saves it anyway and sees the finding on its row and in the history; a client
// signs in with its token alone (the header names its client and its token), asks "qui
// sauvegarde les applications ?" and gets the right row and party; accepts the upgrade;
// cannot see or reach another client's pages; an admin finds who did what in the audit
// log by the tokens' names; unknown, revoked and ingest tokens cannot sign in; the
// provider's viewer reads without a write button; with no OpenID Provider configured the
// sign-in page has no provider button, only the token form. On SQLite
// every page is also checked with axe-core (no serious or critical violation) and
// photographed in English and French under OUT_DIR/portal-screenshots/. Everywhere: no
// request to another host, no Content-Security-Policy violation, no script error.
// Usage: node portal.mjs RACINE SOURCE_DIR OUT_DIR
// Without chromium, playwright-core or axe-core it fails under CI=true and is skipped
// (exit 77) elsewhere, as tests/prerequisites.sh does for the shell tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { cssHex, readPalette } from '../palette/palette.mjs';
import { call, otherLanguageWords as wordsOf, overflowing, serve as serveWith } from './journeys.mjs';

const [racine, src, out] = process.argv.slice(2);
const serve = args => serveWith(racine, args);
const started = Date.now();
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
const axePath = resolve(src, '.cache/axe/node_modules/axe-core/axe.min.js');
if (!existsSync(axePath)) missing('axe-core is absent from .cache/axe: run make deps-test');
const axeSource = readFileSync(axePath, 'utf8');
const require = createRequire(resolve(src, '.cache/playwright/package.json'));
const palette = readPalette(src);
const { chromium } = require('playwright-core');

// --- the labels: every key the pages use, in both languages -------------------------

{
  const en = JSON.parse(readFileSync(join(src, 'web/i18n/en.json'), 'utf8'));
  const fr = JSON.parse(readFileSync(join(src, 'web/i18n/fr.json'), 'utf8'));
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort(), 'fr.json and en.json have the same keys');
  for (const file of readdirSync(join(src, 'web')).filter(f => f.endsWith('.js'))) {
    const code = readFileSync(join(src, 'web', file), 'utf8');
    for (const [, key] of code.matchAll(/\bt\('([a-z_.]*[a-z_])'[,)]/g)) {
      assert.ok(key in en, `${file}: the label '${key}' is in neither language`);
    }
  }
  for (const [k, v] of Object.entries(fr)) assert.ok(v && en[k], `empty label ${k}`);
}

// --- the server -------------------------------------------------------------------

// An editor, clients acme ("Acme Industries", with the managed-services option) and globex
// ("Globex"), each with a contract "main" on the built-in matrix version 1, and their
// tokens (named "editor", "viewer", "tenant acme", "tenant globex").
async function setUp(base, admin) {
  const token = async (role, tenant) => {
    const r = await call(base, admin, 'POST', '/api/v1/tokens', { role, name: `${role} ${tenant || ''}`.trim(), ...(tenant ? { tenant } : {}) });
    assert.equal(r.status, 201);
    return r.json.token;
  };
  const editor = await token('editor');
  for (const [id, name, options] of [['acme', 'Acme Industries', ['infogerance-complementaire']], ['globex', 'Globex', []]]) {
    assert.equal((await call(base, editor, 'PUT', `/api/v1/tenants/${id}`, { name })).status, 201);
    const c = await call(base, editor, 'PUT', `/api/v1/tenants/${id}/contracts/main`,
      { matrix: 'managed-kubernetes', version: 1, options, party: 'Client' });
    assert.equal(c.status, 201);
  }
  return { admin, editor, viewer: await token('viewer'), acme: await token('tenant', 'acme'),
           globex: await token('tenant', 'globex') };
}

// --- the browser ------------------------------------------------------------------

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const shots = join(out, 'portal-screenshots');
rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
const problems = [];  // other hosts, CSP violations, script errors: must stay empty
// The console's Content-Security-Policy refusals of the pages that provoke one on purpose
// (page -> messages), kept apart from `problems` and from the other pages' messages: the
// two journeys run side by side in one browser.
const refusals = new Map();
// Chromium's words for the refusal of an inline script, in its older versions ('Refused
// to execute inline script because it violates the following Content Security Policy
// directive: "script-src 'self'". ...') and its newer ones ("Executing inline script
// violates the following Content Security Policy directive 'script-src 'self''. ... The
// action has been blocked.").
const INLINE_REFUSED = /inline script (because it )?violates the following Content Security Policy directive:? ["']script-src 'self'["']/;

const contexts = new Map();  // base URL -> the browser contexts open on that server

async function newPage(base, { width = 1280, height = 900, lang = 'en-GB' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: lang, timezoneId: 'UTC', acceptDownloads: true });
  if (!contexts.has(base)) contexts.set(base, []);
  contexts.get(base).push(context);
  const page = await context.newPage();
  const origin = new URL(base).origin;
  page.on('request', r => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !u.startsWith('blob:') && !u.startsWith('data:')) problems.push('request to ' + u);
  });
  page.on('pageerror', e => problems.push('script error: ' + e.message));
  page.on('console', m => {
    if (refusals.has(page) && /Content.Security.Policy/i.test(m.text())) refusals.get(page).push(m.text());
    // A refusal the journey asks for on purpose (a form's mistake: 400) is counted down.
    else if (page.expectedRefusals > 0 && /status of 400 /.test(m.text())) page.expectedRefusals -= 1;
    else if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4(01|03|04|22) /.test(m.text())) problems.push('console: ' + m.text());
  });
  page.on('dialog', d => d.accept());
  return page;
}

// Goes to a route and waits until the page drew it.
async function open(page, base, route) {
  // The same hash again is no navigation: load the page anew then.
  if (await page.evaluate(r => location.hash === '#' + r, route)) await page.reload();
  else await page.goto(base + '/#' + route);
  await page.waitForFunction(r => document.getElementById('main').dataset.ready === r, route);
}

async function signIn(page, base, token) {
  await open(page, base, '/signin');
  await page.fill('#token', token);
  await page.click('form.signin button[type=submit]');
  // Drawn: the page the sign-in led to (not the sign-in form's own, still marked ready).
  await page.waitForFunction(() => !location.hash.startsWith('#/signin') &&
                             document.getElementById('main').dataset.ready === location.hash.slice(1));
}

const mainText = page => page.textContent('main');

async function axeCheck(page, name) {
  if (!await page.evaluate(() => Boolean(window.axe))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`), [],
    `axe on ${name}`);
}

// --- the journeys, on one engine --------------------------------------------------

async function journeys(engine, storeArgs, photograph) {
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'racine-portal-')), 'admin-token');
  const { child, base, admin } = await serve([...storeArgs, '--admin-token-file', tokenFile]);
  try {
    if (process.env.PORTAL_DEBUG) console.log('serving', engine, Date.now() - started);
    assert.match(admin, /^rac_/);
    const tokens = await setUp(base, admin);
    const seed = readFileSync(join(src, 'data/managed-kubernetes.md'), 'utf8');
    const broken = seed.replace(/(\| Dimensionner le service Kubernetes \(nombre de noeuds, ressources\) *\| C *\| )RA( *\|)/, '$1R $2');
    assert.notEqual(broken, seed);

    // A provider uploads a version with a lint error: the preview shows it, nothing is
    // saved until "save anyway"; then the finding is on its row and in the history.
    const provider = await newPage(base);
    await signIn(provider, base, tokens.editor);
    assert.equal(await provider.evaluate(() => location.hash), '#/matrices');
    assert.match(await provider.innerText('#whoami'), /^Editor\s+Token: editor$/);
    await open(provider, base, '/matrices/managed-kubernetes');
    await provider.setInputFiles('#upload-file', { name: 'managed-kubernetes.md', mimeType: 'text/markdown', buffer: Buffer.from(broken) });
    // Before any upload, both clients are on the latest version.
    assert.equal(await provider.textContent('#clients-summary'), 'Every contract is on the latest version (1).');
    await provider.click('form.upload button[type=submit]');
    // The preview (a dry run: nothing stored): the findings and the diff against version 1.
    await provider.waitForSelector('#upload-preview');
    const preview = await provider.textContent('#upload-preview');
    assert.match(await provider.textContent('#upload-verdict'), /^Not saved: 3 lint errors\. Fix the document, or save it anyway\. 3 errors/);
    assert.match(preview, /RAC201 line 11:1 no party is Accountable \(Client C, Cloud Temple R\)/);
    assert.equal(await provider.textContent('#upload-preview h4'), 'What changes from version 1');
    assert.equal(await provider.textContent('#upload-preview .diff-counts'), 'roles changed: 1');
    assert.deepEqual(await provider.$$eval('#upload-preview table.diff-table tbody tr', rows => rows.map(r => [...r.cells].map(c => c.textContent))),
      [['roles changed', 'Architecture & Infrastructure', 'Dimensionner le service Kubernetes (nombre de noeuds, ressources)', 'Cloud Temple: RA → R']]);
    assert.equal((await call(base, tokens.editor, 'GET', '/api/v1/matrices/managed-kubernetes/versions')).json.length, 1);
    if (photograph) await provider.screenshot({ path: join(shots, 'upload-preview-en.png'), fullPage: false });
    assert.equal(await provider.textContent('#upload-save'), 'Save anyway');
    // A release note goes with it: kept in the history, said to the two clients behind.
    await provider.fill('#upload-note', 'Sizing: Cloud Temple no longer accountable.');
    await provider.click('#upload-save');
    await provider.waitForSelector('#upload-result .saved');
    assert.match(await provider.textContent('#upload-result'), /Saved: managed-kubernetes version 2\./);
    // Neither client has a receiver for its party yet: nobody is told but on the page.
    assert.equal(await provider.textContent('#upload-told'),
      'No client behind it has a receiver for its party: they see the new version on their contract\'s page.');
    assert.equal(await provider.inputValue('#upload-note'), '');
    await provider.waitForSelector('#version-2');
    assert.match(await provider.textContent('#version-2'), /3 errors\s*1 warning\s*15 infos/);
    assert.equal(await provider.textContent('#version-2 td.note'), 'Sizing: Cloud Temple no longer accountable.');
    assert.equal(await provider.textContent('#version-1 td.note'), '\u2014');
    // Per matrix, which clients are behind (by name), drawn again after the save.
    assert.equal(await provider.textContent('#clients-summary'),
      '2 contracts behind the latest version (2): it is offered to their clients, who have not accepted it yet.');
    assert.deepEqual(await provider.$$eval('table.clients tbody tr', rows => rows.map(r => [...r.cells].map(c => c.textContent))),
      [['Acme Industries', 'main', 'version 1', '1 version behind'], ['Globex', 'main', 'version 1', '1 version behind']]);
    // The same document again: the preview says it is version 2 already, and offers no save.
    await provider.setInputFiles('#upload-file', { name: 'managed-kubernetes.md', mimeType: 'text/markdown', buffer: Buffer.from(broken) });
    await provider.click('form.upload button[type=submit]');
    await provider.waitForFunction(() => /version 2 already/.test(document.getElementById('upload-verdict')?.textContent || ''));
    assert.equal(await provider.locator('#upload-save').count(), 0);
    assert.match(await provider.textContent('#upload-preview'), /No change between these versions\./);
    // A spreadsheet goes as its bytes: racine's own workbook of the built-in matrix, checked
    // against version 2, shows the one cell version 2 broke back as it was (Cancel: not saved).
    const workbook = join(mkdtempSync(join(tmpdir(), 'racine-xlsx-')), 'managed-kubernetes.xlsx');
    execFileSync(racine, ['export', '--format', 'xlsx', '-o', workbook]);
    await provider.setInputFiles('#upload-file', { name: 'managed-kubernetes.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: readFileSync(workbook) });
    await provider.click('form.upload button[type=submit]');
    await provider.waitForFunction(() => /lint errors/.test(document.getElementById('upload-verdict')?.textContent || ''));
    assert.equal(await provider.textContent('#upload-preview h4'), 'What changes from version 2');
    assert.deepEqual(await provider.$$eval('#upload-preview table.diff-table tbody tr', rows => rows.map(r => [...r.cells].map(c => c.textContent))),
      [['roles changed', 'Architecture & Infrastructure', 'Dimensionner le service Kubernetes (nombre de noeuds, ressources)', 'Cloud Temple: R → RA']]);
    await provider.click('#upload-preview .actions button:last-child');
    assert.equal((await call(base, tokens.editor, 'GET', '/api/v1/matrices/managed-kubernetes/versions')).json.length, 2);
    await open(provider, base, '/matrices/managed-kubernetes/versions/2');
    const row = '#a-dimensionner-le-service-kubernetes-nombre-de-noeuds-ressources';
    assert.equal(await provider.getAttribute(row, 'class'), 'activity has-error');
    assert.match(await provider.textContent(row + ' .row-findings'), /^error RAC201 no party is Accountable \(Client C, Cloud Temple R\)$/);
    assert.equal(await provider.locator('tbody tr.activity').count(), 71);
    await open(provider, base, '/matrices/managed-kubernetes/diff/1/2');
    assert.match(await provider.textContent('table.diff-table tbody'), /roles changed.*Dimensionner le service Kubernetes.*Cloud Temple: RA → R/s);

    // A client signs in with its token alone (the server says whose it is), and asks who
    // backs up the applications: under its option, Cloud Temple is Responsible.
    // With the keyboard only: the token field has the focus, Tab to the button, Enter.
    const client = await newPage(base, { lang: 'fr-FR' });
    await open(client, base, '/signin');
    // No OpenID Provider is configured here: no provider button, the token form as the
    // only way in, unfolded.
    assert.deepEqual((await call(base, admin, 'GET', '/auth/issuers')).json, []);
    assert.equal(await client.locator('main ul.issuers, main a[href^="/auth/login"]').count(), 0);
    assert.equal(await client.locator('main details').count(), 0);
    assert.equal(await client.isVisible('#token'), true);
    assert.equal(await client.evaluate(() => document.activeElement.id), 'token');
    assert.equal(await client.locator('form.signin input').count(), 1, 'no client id to type');
    await client.keyboard.type(tokens.acme);
    await client.keyboard.press('Tab');
    assert.equal(await client.evaluate(() => document.activeElement.matches('form.signin button[type=submit]')), true);
    await client.keyboard.press('Enter');
    await client.waitForFunction(() => document.getElementById('main').dataset.ready === '/contracts');
    assert.equal(await client.evaluate(() => location.hash), '#/contracts');
    assert.equal(await client.textContent('h1'), 'Mes contrats');
    // The header names the client (not its id) and the token.
    assert.match(await client.innerText('#whoami'), /^Client · Acme Industries\s+Jeton\u202f: tenant acme$/);
    await client.click('a[href="#/tenants/acme/contracts/main"]');
    await client.waitForFunction(() => document.getElementById('main').dataset.ready === '/tenants/acme/contracts/main');
    await client.fill('#who', 'qui sauvegarde les applications ?');
    await client.waitForSelector('#who-result .answer');
    assert.equal(await client.getAttribute('#who-result .answer', 'class'), 'answer outcome-uncertain');
    assert.equal(await client.textContent('#who-result .best-title'), 'Définir la stratégie de sauvegarde pour les applicationsvia l’option « infogérance complémentaire »');
    assert.equal(await client.textContent('#who-result .best-party .party'), 'Cloud Temple');
    // Cloud Temple holds it because of the contract's option: the answer says so.
    assert.equal(await client.textContent('#who-result .best-title .via'), 'via l’option « infogérance complémentaire »');
    // As you type, a half word is no verdict: its prefix finds the backup rows (partial=1).
    await client.fill('#who', 'qui sauveg');
    await client.waitForSelector('#who-result .answer.outcome-uncertain');
    assert.match(await client.textContent('#who-result .best-title'), /sauvegarde/);
    await client.fill('#who', 'xylophone quantique');
    await client.waitForSelector('#who-result .answer.outcome-gray_zone');
    assert.match(await client.textContent('#who-result'), /Zone grise.*facturées en mode projet/s);
    // Escape clears the question and its answer.
    await client.focus('#who');
    await client.keyboard.press('Escape');
    assert.equal(await client.inputValue('#who'), '');
    assert.equal(await client.locator('#who-result *').count(), 0);
    // What must we do: as its introduction says, every R or A activity first (by
    // section), then the C and I ones.
    await open(client, base, '/tenants/acme/contracts/main/duties');
    const duties = await client.$$eval('ul.duties li', li => li.map(x => x.className));
    assert.equal(duties[0], 'must');
    assert.ok(duties.includes('other'));
    assert.ok(duties.lastIndexOf('must') < duties.indexOf('other'), 'every R/A activity before the C/I ones');
    assert.match(await client.textContent('#duties-title + p'), /^\d+ activités où vous êtes Responsable/);
    // The effective matrix highlights the rows its option moved, and has the HTML
    // report's filter: a search (accents ignored) and "what a party does".
    await open(client, base, '/tenants/acme/contracts/main/matrix');
    assert.equal(await client.locator('tr.option-row').count(), 11);
    await client.fill('#matrix-q', 'securite');
    const found = await client.$$eval('tr.activity:not(.filtered-out)', rows => rows.map(r => r.textContent));
    assert.ok(found.length > 0 && found.length < 71, `the search leaves ${found.length} rows`);
    assert.ok(found.every(x => /sécurité/i.test(x)), 'every row left is about sécurité');
    assert.match(await client.textContent('#matrix-count'), new RegExp(`^${found.length} activités? affichées?$`));
    await client.fill('#matrix-q', '');
    await client.selectOption('#matrix-party', { label: 'Ce que fait Client (R, A)' });
    const mine = await client.$$eval('tr.activity:not(.filtered-out) td.cell:nth-of-type(1)', cells => cells.map(c => c.textContent));
    assert.ok(mine.length > 0 && mine.every(x => /[RA]/.test(x)), 'only the rows where Client is R or A');
    assert.equal(await client.locator('tr.section:not(.filtered-out)').count() <= await client.locator('tr.section').count(), true);
    await client.selectOption('#matrix-party', '');
    // Its print stylesheet (the PDF export): the matrix alone, headers repeated.
    await client.emulateMedia({ media: 'print' });
    assert.deepEqual(await client.evaluate(() => ['header.top', 'nav.tabs', 'p.banner', 'table.matrix thead']
      .map(q => document.querySelector(q) ? getComputedStyle(document.querySelector(q)).display : 'absent')),
    ['none', 'none', 'none', 'table-header-group']);
    if (photograph) await client.screenshot({ path: join(shots, 'print-contract-matrix-fr.png') });
    await client.emulateMedia({ media: 'screen' });
    // A version's findings in French with their values (po/fr.po's forms, the CLI's too).
    await open(client, base, '/matrices/managed-kubernetes/versions/2');
    assert.match(await client.textContent(row + ' .row-findings'), /RAC201 aucune partie n’a le rôle Approbateur \(Client C, Cloud Temple R\)$/);
    assert.match(await client.textContent('ul.findings'), /RAC202 ligne 53:1 2 parties ont le rôle Approbateur \(Client, Cloud Temple\)\u202f: il en faut exactement une/);
    // Exports: fetched with the token, saved through a blob: link.
    await open(client, base, '/tenants/acme/contracts/main/exports');
    const download = async nth => {
      const [d] = await Promise.all([client.waitForEvent('download'),
                                     client.click(`ul.exports li:nth-child(${nth}) button`)]);
      return [d.suggestedFilename(), readFileSync(await d.path())];
    };
    const [xlsxName, xlsx] = await download(2);
    assert.equal(xlsxName, 'acme-main.xlsx');
    assert.equal(xlsx.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
    const [oscalName, oscal] = await download(3);
    assert.equal(oscalName, 'acme-main.oscal.json');
    assert.ok(JSON.parse(oscal.toString('utf8'))['component-definition'], 'an OSCAL component definition');
    // The upgrade: the diff of its effective matrix, then accepted.
    await open(client, base, '/tenants/acme/contracts/main/upgrade');
    assert.match(await client.textContent('h2#upgrade-title'), /^Version 1 → version 2$/);
    assert.match(await client.textContent('table.diff-table'), /Dimensionner le service Kubernetes/);
    // Accept asks once more; Cancel leaves the contract where it is.
    await client.click('#accept-upgrade');
    assert.match(await client.textContent('#confirm-upgrade-text'), /^Accepter la version 2 pour .+ \? Le contrat suivra alors la matrice effective ci-dessus/);
    await client.click('#cancel-upgrade');
    assert.equal(await client.locator('#confirm-upgrade').count(), 0);
    assert.equal((await call(base, tokens.acme, 'GET', '/api/v1/tenants/acme/contracts/main')).json.version, 1);
    await client.click('#accept-upgrade');
    await client.click('#confirm-upgrade');
    await client.waitForFunction(() => document.getElementById('main').dataset.ready === '/tenants/acme/contracts/main');
    assert.match(await client.textContent('p.meta'), /managed-kubernetes version 2/);
    assert.equal((await call(base, tokens.acme, 'GET', '/api/v1/tenants/acme/contracts/main')).json.version, 2);
    await open(client, base, '/tenants/acme/contracts/main/upgrade');
    assert.match(await mainText(client), /Le contrat est sur la dernière version \(2\)/);
    // The provider's version page: which clients are on it, and who is behind.
    await open(provider, base, '/matrices/managed-kubernetes/versions/2');
    assert.deepEqual(await provider.$$eval('table.clients tbody tr', rows => rows.map(r => [r.className, ...[...r.cells].map(c => c.textContent)])),
      [['', 'Globex', 'main', 'version 1', '1 version behind'], ['this-version', 'Acme Industries', 'main', 'version 2 (this version)', 'up to date']]);
    // Events: none yet; then three alerts posted as acme's Alertmanager would post them,
    // routed under its contract (no receiver is configured: the deliveries stay pending):
    // one of its applications (the client R and A), one of the cluster's nodes (Cloud
    // Temple R and A, the client only Informed), one in the gray zone (Cloud Temple R).
    await open(client, base, '/tenants/acme/events');
    assert.match(await client.textContent('#events-empty'), /Aucun événement/);
    const ingest = (await call(base, admin, 'POST', '/api/v1/tokens', { role: 'ingest', tenant: 'acme', name: 'am' })).json.token;
    const posted = await call(base, ingest, 'POST', '/api/v1/tenants/acme/alertmanager', { version: '4', alerts: [
      { status: 'firing', labels: { alertname: 'KubePodCrashLooping', namespace: 'shop' }, startsAt: '2026-11-30T10:00:00Z', fingerprint: 'a1b2c3' },
      { status: 'firing', labels: { job: 'custom-operator' }, startsAt: '2026-11-30T10:01:00Z', fingerprint: 'd4e5f6' },
      { status: 'firing', labels: { alertname: 'KubeNodeNotReady', namespace: 'kube-system' }, startsAt: '2026-11-30T10:02:00Z', fingerprint: 'a7b8c9' }] });
    assert.equal(posted.status, 200);
    // Who may acknowledge, as the API tells the client: only the event it is R or A for.
    const listed = (await call(base, tokens.acme, 'GET', '/api/v1/tenants/acme/events')).json;
    assert.deepEqual(Object.fromEntries(listed.map(e => [e.fingerprint, e.can_acknowledge])),
                     { a1b2c3: true, d4e5f6: false, a7b8c9: false });
    await open(client, base, '/tenants/acme/events');
    assert.equal(await client.locator('li.event').count(), 3);
    const firing = client.locator('li.event', { hasText: 'KubePodCrashLooping' });
    // The date as chromium's ICU writes it in French ("30 nov. 2026, 10:00", "... à 10:00").
    assert.match(await firing.innerText(),
      /^en cours KubePodCrashLooping\s+30 nov\. 2026(,| à) 10:00 namespace=shop\s+Activité\u202f: Gérer les alertes liées aux applications — Surveillance et performance\s+Partie\s+Rôle\s+Type\s+Livraison\s+Client\s+A\s+escalade\s+en attente · escalade dans 1[45] minutes\s+Client\s+R\s+alerte\s+en attente[^\n]*\s+Reçue le [^\n]+\s+Acquitter$/);
    // Why a delivery is stuck, in words (not hidden in a tooltip) and in the page's
    // language: no receiver for the party.
    await client.waitForFunction(() => /cette partie n’a pas de récepteur/.test(document.getElementById('events-list').innerText), null, { timeout: 15000 });
    assert.equal(await client.locator('#events-list code.detail').count(), 0, 'the server\'s words are for the provider');
    // Only Informed, or not a party at all (the gray zone): no button, a note saying why.
    const informed = client.locator('li.event', { hasText: 'KubeNodeNotReady' });
    assert.match(await informed.innerText(),
      /Gérer les alertes liées au service Kubernetes.*Client\s+I\s+information.*Seules les parties Responsable ou Approbateur de cette alerte peuvent l’acquitter\.$/s);
    const grayZone = client.locator('li.event', { hasText: 'job=custom-operator' });
    assert.match(await grayZone.innerText(), /Zone grise.*Cloud Temple\s+R\s+alerte.*Seules les parties/s);
    assert.equal(await informed.locator('button').count(), 0);
    assert.equal(await grayZone.locator('button').count(), 0);
    assert.equal(await firing.locator('button').count(), 1);
    if (photograph) {
      await axeCheck(client, 'events with alerts');
      await client.screenshot({ path: join(shots, 'events-alerts-fr.png'), fullPage: true });
    }
    // Live: an alert posted while the page is open appears without a reload, with its
    // summary and runbook link.
    const before = await client.locator('li.event').count();
    const more = await call(base, ingest, 'POST', '/api/v1/tenants/acme/alertmanager', { version: '4', alerts: [
      { status: 'firing', labels: { alertname: 'KubeDeploymentReplicasMismatch', namespace: 'cart', severity: 'warning' },
        annotations: { summary: 'Le panier manque de réplicas', runbook_url: 'https://runbooks.example/replicas' },
        startsAt: '2026-11-30T10:03:00Z', fingerprint: 'e1e2e3' }] });
    assert.equal(more.status, 200);
    await client.waitForFunction(n => document.querySelectorAll('li.event').length === n + 1, before, { timeout: 15000 });
    assert.match(await client.textContent('#events-live'), /^Mis à jour à /);
    const fresh = client.locator('li.event', { hasText: 'namespace=cart' });
    assert.equal(await fresh.locator('p.summary').textContent(), 'Le panier manque de réplicas');
    assert.equal(await fresh.locator('p.links a').getAttribute('href'), 'https://runbooks.example/replicas');
    // Filters on the page: by severity, one event.
    await client.selectOption('#event-severity', 'warning');
    await client.click('form.filters button[type=submit]');
    await client.waitForFunction(() => document.getElementById('main').dataset.ready.includes('severity=warning'));
    assert.equal(await client.locator('li.event').count(), 1);
    await open(client, base, '/tenants/acme/events');
    await firing.locator('button.primary').click();
    await firing.locator('.acked').waitFor();
    const acked = (await call(base, tokens.acme, 'GET', '/api/v1/tenants/acme/events')).json
      .find(e => e.fingerprint === 'a1b2c3');
    assert.equal(acked.acknowledged, true);
    assert.equal(acked.can_acknowledge, false);
    assert.equal(acked.deliveries.find(d => d.kind === 'escalation').state, 'cancelled');
    // A button the server refuses anyway (the page drawn before the contract changed; here
    // the list is altered on its way to the page): the refusal is shown in French, the
    // button goes, nothing is acknowledged.
    await client.route('**/api/v1/tenants/acme/events', async route => {
      const response = await route.fetch();
      const list = await response.json();
      for (const e of list) if (e.fingerprint === 'a7b8c9') e.can_acknowledge = true;
      await route.fulfill({ response, json: list });
    });
    await open(client, base, '/tenants/acme/events');
    await client.unroute('**/api/v1/tenants/acme/events');
    await informed.locator('button.primary').click();
    await informed.locator('[role=alert]').waitFor();
    const shown = await informed.locator('[role=alert]').textContent();
    assert.equal(await informed.locator('button').count(), 0);
    const nodeEvent = listed.find(e => e.fingerprint === 'a7b8c9');
    const refusal = await call(base, tokens.acme, 'POST', `/api/v1/tenants/acme/events/${nodeEvent.id}/ack`, {});
    assert.equal(refusal.status, 403);
    // The server's refusal, by its code, in the page's language (not its English).
    assert.equal(refusal.json.error.code, 'forbidden');
    assert.equal(shown, 'Votre rôle ne le permet pas.');
    assert.equal((await call(base, tokens.acme, 'GET', '/api/v1/tenants/acme/events')).json
      .find(e => e.fingerprint === 'a7b8c9').acknowledged, false);

    // Another client's pages, by URL and by tampering with the session: the 404 page,
    // nothing of globex.
    for (const route of ['/tenants/globex/contracts/main', '/tenants/globex/contracts/main/matrix',
                         '/tenants/globex/events', '/matrices', '/admin/tokens', '/nowhere']) {
      await open(client, base, route);
      assert.equal(await client.textContent('h1'), 'Page introuvable', route);
      assert.doesNotMatch(await mainText(client), /globex|Globex|Cloud Temple/, route);
    }
    await client.evaluate(() => {
      const s = JSON.parse(sessionStorage.getItem('racine.session'));
      s.tenant = 'globex';
      sessionStorage.setItem('racine.session', JSON.stringify(s));
    });
    await client.reload();
    for (const route of ['/contracts', '/tenants/globex/contracts/main', '/tenants/globex/contracts/main/duties',
                         '/tenants/globex/events']) {
      await open(client, base, route);
      assert.equal(await client.textContent('h1'), 'Page introuvable', route);
      assert.doesNotMatch(await mainText(client), /Globex|Zone grise|Cloud Temple/, route);
    }
    // The CSP holds in the browser: an inline script added to the page does not run, the
    // page is told (securitypolicyviolation) and the console says so. How many times the
    // console says it depends on chromium's version: at least once, and every refusal on
    // this page is of that inline script (any other message is a problem as before).
    const refused = [];
    refusals.set(client, refused);
    const logged = client.waitForEvent('console', { predicate: m => INLINE_REFUSED.test(m.text()), timeout: 10000 });
    const violation = await client.evaluate(() => new Promise(done => {
      document.addEventListener('securitypolicyviolation', e => done({ directive: e.effectiveDirective, blocked: e.blockedURI }), { once: true });
      setTimeout(() => done('no securitypolicyviolation event within 10 s'), 10000);
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = 1';
      document.body.append(s);
    }));
    assert.equal(violation.blocked, 'inline', String(violation));
    assert.match(violation.directive, /^script-src(-elem)?$/);
    await logged;
    assert.equal(await client.evaluate(() => window.inlineRan), undefined);
    if (process.env.PORTAL_DEBUG) console.log(engine, 'CSP refusals on the console:', refused);
    assert.ok(refused.length >= 1);
    for (const r of refused) assert.match(r, INLINE_REFUSED);
    // Sign-out forgets the token.
    await client.click('#signout');
    await client.waitForFunction(() => location.hash === '#/signin');
    assert.equal(await client.evaluate(() => sessionStorage.getItem('racine.session')), null);

    // An admin creates a token (shown once), revokes it, finds both in the audit log.
    const adminPage = await newPage(base);
    await signIn(adminPage, base, tokens.admin);
    await open(adminPage, base, '/admin/tokens');
    // A client's token without its client: the refusal in the page's words (its code),
    // not the server's ("a tenant or ingest token needs a tenant").
    await adminPage.selectOption('#token-role', 'tenant');
    adminPage.expectedRefusals = 1;
    await adminPage.fill('#token-name', 'no client');
    await adminPage.click('#tokens-tab form button[type=submit]');
    await adminPage.waitForSelector('#token-created [role=alert]');
    assert.equal(await adminPage.textContent('#token-created [role=alert]'),
      "A client's token, or an alert ingestion token, needs its client: choose one.");
    // Tokens by name, not by id.
    assert.equal(await adminPage.locator('#tokens-tab tbody code').count(), 0);
    assert.match(await adminPage.textContent('#tokens-tab tbody'), /first admin/);
    await adminPage.selectOption('#token-tenant', 'globex');
    await adminPage.fill('#token-name', 'portal test');
    await adminPage.click('#tokens-tab form button[type=submit]');
    await adminPage.waitForSelector('#new-token');
    const secret = await adminPage.inputValue('#new-token');
    assert.match(secret, /^rac_[0-9a-f]{64}$/);
    assert.equal((await call(base, secret, 'GET', '/api/v1/tenants/globex/contracts')).status, 200);
    await open(adminPage, base, '/admin/tokens');
    assert.equal((await adminPage.content()).includes(secret), false, 'the secret is shown only once');
    const tokenRow = adminPage.locator('#tokens-tab tbody tr', { hasText: 'portal test' });
    await tokenRow.locator('button.danger').click();  // the confirmation is accepted
    await adminPage.waitForSelector('#tokens-tab tbody tr.revoked');
    assert.equal((await call(base, secret, 'GET', '/api/v1/tenants/globex/contracts')).status, 401);
    await open(adminPage, base, '/admin/audit?tenant=globex&action=token.revoke');
    assert.match(await adminPage.textContent('#audit-count'), /^1 of \d+ entries\.$/);
    assert.match(await adminPage.textContent('table.audit tbody'), /token\.revoke/);
    // Who, by the token's name, its id as the tooltip: the admin revoked it, acme's token
    // accepted the upgrade; the token filter takes a name.
    const me = async who => (await call(base, tokens[who], 'GET', '/api/v1/me')).json;
    const [adminMe, acmeMe] = [await me('admin'), await me('acme')];
    assert.deepEqual(await adminPage.$$eval('table.audit tbody td .by', c => c.map(x => [x.textContent, x.title])),
                     [[adminMe.name, adminMe.id]]);
    await open(adminPage, base, '/admin/audit?tenant=acme&action=contract.upgrade');
    assert.match(await adminPage.textContent('#audit-count'), /^1 of \d+ entries\.$/);
    assert.deepEqual(await adminPage.$$eval('table.audit tbody td .by', c => c.map(x => [x.textContent, x.title])),
                     [['tenant acme', acmeMe.id]]);
    assert.doesNotMatch(await adminPage.textContent('table.audit tbody'), /tok-/);
    await open(adminPage, base, '/admin/audit?tenant=acme&token=tenant+acme');
    const acmeRows = await adminPage.$$eval('table.audit tbody tr', r => r.map(x => x.cells[2].textContent));
    assert.ok(acmeRows.includes('contract.upgrade') && acmeRows.includes('event.ack'), String(acmeRows));

    // The receivers page: the provider sets the client's receiver from the portal and
    // sends a test, which a sink here takes.
    const { createServer } = await import('node:http');
    const got = [];
    const sink = createServer((req, res) => { let b = ''; req.on('data', c => { b += c; }); req.on('end', () => { got.push(b); res.end('ok'); }); });
    await new Promise(ok => sink.listen(0, '127.0.0.1', ok));
    await open(adminPage, base, '/tenants/acme/receivers');
    await adminPage.selectOption('#receiver-type-client', 'mattermost');
    await adminPage.fill('#receiver-target-client', `http://127.0.0.1:${sink.address().port}/hooks/x`);
    await adminPage.click('#receiver-client form button[type=submit]');
    await adminPage.waitForSelector('#receiver-test-client');
    assert.match(await adminPage.textContent('#receiver-client'), /Mattermost: http:\/\/127\.0\.0\.1:\d+\/\.\.\./);
    await adminPage.click('#receiver-test-client');
    await adminPage.waitForSelector('#receiver-msg-client .ok');
    assert.equal(await adminPage.textContent('#receiver-msg-client'), 'The receiver took the test message.');
    // The client's deliveries waiting for a receiver may arrive here too now: one test.
    const tests = got.filter(b => /RacineTest/.test(b));
    assert.equal(tests.length, 1, got.join('\n'));
    assert.match(JSON.parse(tests[0]).text, /^#### Pour information\u202f: RacineTest/);
    // A fallback after two failed attempts, and the receiver's health in words. (The
    // address is a secret, never shown again: set anew with the change.)
    await adminPage.fill('#receiver-target-client', `http://127.0.0.1:${sink.address().port}/hooks/x`);
    await adminPage.selectOption('#receiver-fallback-type-client', 'webhook');
    await adminPage.fill('#receiver-fallback-target-client', `http://127.0.0.1:${sink.address().port}/fallback`);
    await adminPage.fill('#receiver-fallback-after-client', '2');
    await adminPage.click('#receiver-client form.card:not(:has(#oncall-main-client-tz)) button[type=submit]');
    await adminPage.waitForFunction(() => /fallback: Webhook/.test(document.getElementById('receiver-client')?.textContent || ''), null, { timeout: 5000 })
      .catch(async e => { throw new Error(e.message + ': ' + await adminPage.textContent('#receiver-client')); });
    const saved = (await call(base, tokens.admin, 'GET', '/api/v1/tenants/acme/receivers')).json.find(r => r.party === 'client');
    assert.deepEqual([saved.fallback.type, saved.fallback_after], ['webhook', 2]);
    assert.deepEqual(await adminPage.$$eval('#receiver-client dl.health dt', d => d.map(x => x.textContent)),
                     ['Latest deliveries', 'Last success', 'Last failure', 'Circuit']);
    assert.equal(await adminPage.textContent('#receiver-client dl.health dd:last-child'), 'closed: deliveries go out');
    // The client's working hours under contract "main", from the portal alone. What the
    // form does not show (a rule for another severity) is kept.
    assert.equal((await call(base, tokens.admin, 'PUT', '/api/v1/tenants/acme/contracts/main/oncall/client',
      { timezone: 'UTC', severities: { warning: { outside_hours: 'wait' } } })).status, 200);
    await open(adminPage, base, '/tenants/acme/receivers');
    const hours = '#oncall-main-client';
    await adminPage.fill(`${hours}-tz`, 'Europe/Paris');
    await adminPage.uncheck(`${hours}-always`);
    for (const d of ['mon', 'tue', 'wed', 'thu']) await adminPage.fill(`${hours}-${d}`, '09:00-18:00');
    await adminPage.fill(`${hours}-fri`, '09:00-12:30, 13:30-17:00');
    await adminPage.fill(`${hours}-holidays`, '2026-12-25\n2027-01-01');
    await adminPage.selectOption(`${hours}-default-outside`, 'wait');
    await adminPage.fill(`${hours}-default-after`, '2h');
    await adminPage.selectOption(`${hours}-default-count`, 'working');
    await adminPage.fill(`${hours}-repeat`, '30m');
    await adminPage.click(`${hours} form button[type=submit]`);
    await adminPage.waitForSelector(`${hours}-state:has-text("repeated every 30m")`);
    assert.match(await adminPage.textContent(`${hours}-state`),
                 /^Europe\/Paris — Monday 09:00-18:00 · Tuesday 09:00-18:00 · Wednesday 09:00-18:00 · Thursday 09:00-18:00 · Friday 09:00-12:30, 13:30-17:00 — repeated every 30m(In|Outside) working hours now/);
    const rules = (await call(base, tokens.admin, 'GET', '/api/v1/tenants/acme/contracts/main/oncall')).json.find(o => o.party === 'client').rules;
    assert.deepEqual(rules, {
      timezone: 'Europe/Paris',
      hours: { mon: '09:00-18:00', tue: '09:00-18:00', wed: '09:00-18:00', thu: '09:00-18:00', fri: ['09:00-12:30', '13:30-17:00'] },
      holidays: ['2026-12-25', '2027-01-01'],
      severities: { warning: { outside_hours: 'wait' }, critical: { outside_hours: 'page' }, default: { outside_hours: 'wait', escalate_after: '2h', count: 'working' } },
      repeat_after: '30m',
    });
    // A mistake is said where it was made, and nothing stored is lost.
    adminPage.expectedRefusals = 1;
    await adminPage.fill(`${hours}-mon`, '18:00-09:00');
    await adminPage.click(`${hours} form button[type=submit]`);
    await adminPage.waitForSelector(`${hours}-msg .error`);
    assert.match(await adminPage.textContent(`${hours}-msg`), /^The working hours are not valid\.$/);
    for (let i = 0; i < 40 && adminPage.expectedRefusals > 0; i++) await new Promise(ok => setTimeout(ok, 50));
    assert.equal(adminPage.expectedRefusals, 0, 'the refusal was seen');
    assert.deepEqual((await call(base, tokens.admin, 'GET', '/api/v1/tenants/acme/contracts/main/oncall')).json.find(o => o.party === 'client').rules, rules);
    await axeCheck(adminPage, 'receivers and working hours');
    sink.close();
    if (photograph) await adminPage.screenshot({ path: join(shots, 'receivers-en.png'), fullPage: true });

    // Maintenance windows: declared for an hour, listed as under way, ended now.
    await open(adminPage, base, '/tenants/acme/maintenance');
    await adminPage.fill('#maintenance-main-reason', 'Mise à jour du plan de contrôle');
    await adminPage.fill('#maintenance-main-hours', '1');
    await adminPage.click('#maintenance-main form button[type=submit]');
    await adminPage.waitForSelector('#maintenance-main table.maintenance');
    const windowRow = await adminPage.$$eval('#maintenance-main table.maintenance tbody tr td', c => c.map(x => x.textContent));
    assert.equal(windowRow[1], 'Mise à jour du plan de contrôle');
    assert.equal(windowRow[3], 'under way');
    await axeCheck(adminPage, 'maintenance windows');
    if (photograph) await adminPage.screenshot({ path: join(shots, 'maintenance-en.png'), fullPage: true });
    await adminPage.click('#maintenance-main button.danger');
    await adminPage.waitForSelector('#maintenance-main table.maintenance td:has-text("ended")');
    const windows = (await call(base, tokens.admin, 'GET', '/api/v1/tenants/acme/contracts/main/maintenance')).json;
    assert.deepEqual(windows.map(w => [w.reason, w.active]), [['Mise à jour du plan de contrôle', false]]);

    // The provider's viewer reads everything and is offered no change: no upload, no
    // client or contract form, no tokens or audit tab, no "Accept" (a note instead).
    const viewer = await newPage(base);
    await signIn(viewer, base, tokens.viewer);
    assert.equal(await viewer.evaluate(() => location.hash), '#/matrices');
    assert.match(await viewer.innerText('#whoami'), /^Viewer\s+Token: viewer$/);
    assert.deepEqual(await viewer.$$eval('#nav a', a => a.map(x => x.textContent)), ['Matrices', 'Contracts', 'Requests', 'Administration']);
    assert.equal(await viewer.locator('main table.list tbody tr').count(), 1);
    assert.equal(await viewer.locator('main form, main #upload-file').count(), 0);
    await open(viewer, base, '/matrices/managed-kubernetes');
    assert.equal(await viewer.locator('#history tbody tr').count(), 2);
    assert.equal(await viewer.locator('#upload-file, form.upload').count(), 0);
    await open(viewer, base, '/admin/tenants');
    assert.match(await viewer.textContent('main table.list'), /Globex/);
    assert.equal(await viewer.locator('main form').count(), 0);
    assert.deepEqual(await viewer.$$eval('main nav.tabs a', a => a.map(x => x.textContent)), ['Clients and contracts']);
    await open(viewer, base, '/tenants/globex/contracts/main/upgrade');
    assert.match(await viewer.textContent('h2#upgrade-title'), /^Version 1 → version 2$/);
    assert.equal(await viewer.locator('#accept-upgrade').count(), 0);
    assert.equal(await viewer.textContent('#accept-denied'), 'Only an approver of the client Globex (or the provider\'s editors) can accept this version.');
    assert.equal((await call(base, tokens.viewer, 'POST', '/api/v1/tenants/globex/contracts/main/upgrade', { version: 2 })).status, 403);
    // An editor is offered it.
    await open(provider, base, '/tenants/globex/contracts/main/upgrade');
    assert.equal(await provider.locator('#accept-upgrade').count(), 1);

    // Who cannot sign in: a revoked token and an unknown one (the same words), an ingest
    // token (it only posts alerts).
    const outsider = await newPage(base);
    for (const [token, words] of [[secret, 'This token is unknown or revoked.'],
                                  ['rac_' + '0'.repeat(64), 'This token is unknown or revoked.'],
                                  [ingest, 'This token only posts alerts: it cannot open the portal.']]) {
      await open(outsider, base, '/signin');
      await outsider.fill('#token', token);
      await outsider.click('form.signin button[type=submit]');
      await outsider.waitForFunction(w => document.getElementById('signin-error').textContent === w, words);
      assert.equal(await outsider.evaluate(() => location.hash), '#/signin');
      assert.equal(await outsider.evaluate(() => sessionStorage.getItem('racine.session')), null);
    }

    // The contract form picks a version from the matrix's list, the latest chosen.
    await open(adminPage, base, '/admin/tenants');
    await adminPage.waitForSelector('#contract-version option', { state: 'attached' });
    assert.equal(await adminPage.evaluate(() => document.getElementById('contract-version').tagName), 'SELECT');
    assert.deepEqual(await adminPage.$$eval('#contract-version option', o => o.map(x => [x.value, x.selected])),
      [['2', true], ['1', false]]);
    // A client without a contract is told whom to ask.
    assert.equal((await call(base, tokens.admin, 'PUT', '/api/v1/tenants/initech', { name: 'Initech' })).status, 201);
    const initech = (await call(base, tokens.admin, 'POST', '/api/v1/tokens',
      { role: 'tenant', tenant: 'initech', name: 'tenant initech' })).json.token;
    const lonely = await newPage(base, { lang: 'fr-FR' });
    await signIn(lonely, base, initech);
    assert.match(await lonely.textContent('#contracts-empty'), /Aucun contrat.*demandez-lui/s);

    if (photograph) await photographAll(base, tokens);

    // A version published while the client's page is open is offered on that page without
    // navigating: the page asks again when it comes back into sight (and every 30 s).
    const watcher = await newPage(base, { lang: 'fr-FR' });
    await signIn(watcher, base, tokens.acme);
    await open(watcher, base, '/tenants/acme/contracts/main');
    assert.equal(await watcher.isHidden('#upgrade-banner'), true);
    await watcher.fill('#who', 'sauvegarde');
    const v3 = seed.replace(/(\| Installer le service Kubernetes avec une configuration par défaut *\| )I /, '$1C ');
    assert.notEqual(v3, seed);
    const published = await fetch(base + '/api/v1/matrices/managed-kubernetes/versions?force=true', { method: 'POST',
      headers: { Authorization: 'Bearer ' + tokens.editor, 'Content-Type': 'text/markdown' }, body: v3 });
    assert.equal(published.status, 201);
    await watcher.evaluate(() => window.dispatchEvent(new Event('focus')));
    await watcher.waitForSelector('#upgrade-banner:not([hidden])');
    assert.equal(await watcher.textContent('#upgrade-banner'), 'La version 3 de la matrice est disponible pour ce contrat. Voir ce qui change');
    assert.equal(await watcher.textContent('#tab-upgrade .dot'), 'nouvelle version');
    assert.equal(await watcher.inputValue('#who'), 'sauvegarde', 'the page was not drawn again');
    assert.equal(await watcher.evaluate(() => location.hash), '#/tenants/acme/contracts/main');
    await watcher.click('#upgrade-banner a');
    await watcher.waitForFunction(() => document.getElementById('main').dataset.ready === '/tenants/acme/contracts/main/upgrade');
    assert.match(await watcher.textContent('h2#upgrade-title'), /^Version 2 → version 3$/);
  } finally {
    // The pages go before their server does.
    for (const c of contexts.get(base) || []) await c.close();
    child.kill('SIGTERM');
  }
}

// One language per page: words that belong to one language only (a word list: common
// function words and the portal's own terms, none of them spelt alike in the other).
// The text checked is what the page shows outside the matrix's own text (any element
// whose `lang` is not the page's), the ids and codes (`code`), the form fields, and the
// names the journeys gave (tokens "tenant acme", "editor"...), which are data.
const DATA_NAMES = ['tenant acme', 'tenant globex', 'tenant initech', 'no client', 'first admin', 'portal test', 'editor', 'viewer', 'admin'];
const otherLanguageWords = (page, lang) => wordsOf(page, lang, DATA_NAMES);

// Every role badge takes its colours from the palette (data/palette.csv).
async function badgeColours(page) {
  return page.$$eval('.role', els => els.map(e => ({ letter: e.textContent.trim(), cls: e.className,
    bg: getComputedStyle(e).backgroundColor, fg: getComputedStyle(e).color })));
}
function checkBadges(badges, where) {
  for (const b of badges) {
    const want = palette.get(/^[RACISD]$/.test(b.letter) ? b.letter : 'other');
    assert.equal(cssHex(b.bg), want.fill, `${where}: the badge ${b.letter} is filled ${b.bg}, not the palette's ${want.fill}`);
    assert.equal(cssHex(b.fg), want.ink, `${where}: the badge ${b.letter}'s letter is ${b.fg}, not the palette's ${want.ink}`);
  }
}

// Every page, in English and in French, at 1280 px and on a 390 px phone: axe-core, no
// word of the other language, nothing wider than the screen outside a scrolling table,
// the role badges in the palette's colours, then a screenshot
// (portal-screenshots/NAME-LANG-WIDTH.png).
async function photographAll(base, tokens) {
  const pages = [
    ['signin', null, '/signin'],
    ['matrices', 'editor', '/matrices'],
    ['matrix-history', 'editor', '/matrices/managed-kubernetes'],
    ['version', 'editor', '/matrices/managed-kubernetes/versions/2'],
    ['diff', 'editor', '/matrices/managed-kubernetes/diff/1/2'],
    ['contracts', 'editor', '/contracts'],
    ['provider-contract', 'editor', '/tenants/globex/contracts/main'],
    ['provider-duties', 'editor', '/tenants/globex/contracts/main/duties'],
    ['contract-search', 'globex', '/tenants/globex/contracts/main'],
    ['contract-duties', 'globex', '/tenants/globex/contracts/main/duties'],
    ['contract-matrix', 'acme', '/tenants/acme/contracts/main/matrix'],
    ['contract-upgrade', 'globex', '/tenants/globex/contracts/main/upgrade'],
    ['contract-exports', 'globex', '/tenants/globex/contracts/main/exports'],
    ['events', 'globex', '/tenants/globex/events'],
    ['admin-tenants', 'admin', '/admin/tenants'],
    ['admin-tokens', 'admin', '/admin/tokens'],
    ['admin-audit', 'admin', '/admin/audit'],
    ['not-found', 'globex', '/tenants/acme/contracts/main'],
  ];
  // The sign-in form is the journeys' business: here each session is put in place as the
  // form leaves it (sessionStorage, from GET /api/v1/me), one page per language and size.
  const sessions = {};
  for (const who of ['editor', 'admin', 'acme', 'globex']) {
    const me = (await call(base, tokens[who], 'GET', '/api/v1/me')).json;
    sessions[who] = { token: tokens[who], role: me.role, tenant: me.tenant, name: me.name, tenantName: me.tenant_name,
                      tenantRole: me.tenant_role };
  }
  const runs = [];
  for (const lang of ['en', 'fr']) for (const width of [1280, 390]) runs.push([lang, width]);
  await Promise.all(runs.map(async ([lang, width]) => {
    const page = await newPage(base, { width, height: width > 500 ? 900 : 844 });
    await page.goto(base + '/');
    await page.evaluate(l => localStorage.setItem('racine.lang', l), lang);
    let current;
    for (const [name, who, route] of pages) {
      const where = `${name} (${lang}, ${width} px)`;
      if (who !== current) {
        await page.evaluate(s => s ? sessionStorage.setItem('racine.session', JSON.stringify(s))
          : sessionStorage.removeItem('racine.session'),
        who ? sessions[who] : null);
        current = who;
        await page.reload();  // the app reads the session when it loads
      }
      await open(page, base, route);
      if (process.env.PORTAL_DEBUG) console.log('page', lang, width, name, Date.now() - started);
      if (name === 'contract-search' || name === 'provider-contract') {
        await page.fill('#who', lang === 'fr' ? 'qui sauvegarde les applications ?' : 'who backs up the applications');
        await page.waitForSelector('#who-result .answer');
      }
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang, where);
      // The scroll hints are drawn on the next frame.
      await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
      assert.deepEqual(await otherLanguageWords(page, lang), [], `${where}: words of the other language`);
      assert.deepEqual(await overflowing(page), [], `${where}: wider than the screen`);
      checkBadges(await badgeColours(page), where);
      await axeCheck(page, where);
      // On a phone the answer is under the fold: the question and its answer in sight.
      if (name === 'contract-search' && width < 500) await page.evaluate(() => document.getElementById('search-title').scrollIntoView());
      await page.screenshot({ path: join(shots, `${name}-${lang}-${width}.png`) });
    }
    await page.context().close();
  }));
  // A phone: the tokens' Revoke buttons are on the screen, the badges whole, the tables
  // that scroll say so.
  const phone = await newPage(base, { width: 390, height: 844, lang: 'fr-FR' });
  await signIn(phone, base, tokens.admin);
  await open(phone, base, '/admin/tokens');
  const revokes = await phone.$$eval('#tokens-tab button.danger', bs => bs.map(b => {
    const r = b.getBoundingClientRect();
    return r.left >= 0 && r.right <= document.documentElement.clientWidth;
  }));
  assert.ok(revokes.length > 0 && revokes.every(Boolean), 'every Revoke button in sight at 390 px');
  await phone.locator('#tokens-tab button.danger').first().scrollIntoViewIfNeeded();
  await phone.screenshot({ path: join(shots, 'phone-tokens-fr.png') });
  await open(phone, base, '/matrices/managed-kubernetes');
  const clipped = await phone.$$eval('.count', cs => cs.filter(c => c.scrollWidth > c.clientWidth + 1 ||
    c.getClientRects().length > 1).map(c => c.textContent));
  assert.deepEqual(clipped, [], 'lint badges whole at 390 px');
  assert.equal(await phone.locator('.scroll-frame.scrolls .scroll-hint').first().textContent(),
    'Plus large que l\u2019écran\u202f: faites défiler de côté pour voir toutes les colonnes.');
  assert.equal(await phone.locator('.scroll-frame.scrolls.more-right').count() > 0, true, 'a fade on the hidden side');
  await phone.locator('#history .scroll-frame').scrollIntoViewIfNeeded();
  await phone.screenshot({ path: join(shots, 'phone-history-fr.png') });
}

function postgresStore() {
  const state = process.env.RACINE_TEST_PG_STATE;
  const url = state && existsSync(state) ? readFileSync(state, 'utf8').trim() : '';
  if (!url) {
    if (process.env.CI === 'true') {
      console.error('error: CI=true and no private PostgreSQL server (RACINE_TEST_PG_STATE; make deps-test installs postgresql-15)');
      process.exit(1);
    }
    console.log('postgresql: no private server (RACINE_TEST_PG_STATE), the PostgreSQL journeys are not run');
    return null;
  }
  const u = new URL(url);
  const host = u.searchParams.get('host');
  const port = u.searchParams.get('port');
  const user = u.searchParams.get('user') || 'racine';
  const db = `portal_${process.pid}_${Date.now() % 100000}`;
  const bin = process.env.RACINE_PG_BIN || '/usr/lib/postgresql/15/bin';
  execFileSync(join(bin, 'psql'), ['-h', host, '-p', port, '-U', user, '-d', 'racine', '-qc', `CREATE DATABASE ${db}`]);
  return ['--database', url.replace('/racine?', `/${db}?`)];
}

try {
  const dir = mkdtempSync(join(tmpdir(), 'racine-portal-'));
  const pg = postgresStore();
  // The two engines side by side (the browser is shared, each journey has its pages).
  await Promise.all([journeys('sqlite', ['--data', dir], true), pg ? journeys('postgresql', pg, false) : null]);
  assert.deepEqual(problems, []);
  for (const r of [...refusals.values()].flat()) assert.match(r, INLINE_REFUSED, 'a refusal of something else');
  console.log(`portal: journeys on sqlite${pg ? ' and postgresql' : ''}, axe and screenshots of ` +
              `18 pages x 2 languages x 2 widths in ${shots}, no request to another host, ` +
              `${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await browser.close();
}
