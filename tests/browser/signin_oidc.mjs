// People sign in to the portal through an OpenID Provider, in a real browser: Debian's
// chromium driven by playwright-core, the private OpenID Provider of tests/oidc/op.sh
// (panva's oidc-provider, its own login page) and `racine serve` on SQLite with a
// --config naming two providers, all on 127.0.0.1. tests/oidc/signin.mjs checks the
// protocol without a browser; this checks the portal's side of it:
// - the sign-in page shows one button per provider, the token form folded under them;
// - a client approver asks for a page, is sent to sign in, signs in at the provider and
//   comes back to that page; the header names her, her client and her role there; no
//   token is kept in the tab and the cookie is out of the scripts' reach; she accepts an
//   upgrade (a write with the cookie: the portal sends the CSRF header) and the audit
//   names her; she signs out here and at the provider, and comes back signed out;
// - a client reader sees the upgrade without an Accept button; when her session ends
//   (the cookie gone), the next call sends her to sign in again ("your session ended")
//   and the provider's button brings her back to the page she was on;
// - the provider's viewer lands on the matrices, with no upload and no client form;
// - a person the configuration gives no role lands on the no-access page;
// - a sign-in cancelled at the provider comes back with the reason on the sign-in page.
// Everywhere on racine's pages: no script error, no CSP violation, no request to a host
// other than racine and the provider.
// Usage: node signin_oidc.mjs RACINE SOURCE_DIR OUT_DIR
// axe-core on the sign-in page with its providers, a person's page and the no-access page.
// Screenshots in OUT_DIR/signin-oidc-browser/screenshots/.
// Without chromium, playwright-core, axe-core or oidc-provider it fails under CI=true and
// is skipped (exit 77) elsewhere.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { checks, freePort, missing, serveRacine, startProvider, stopProvider } from '../oidc/harness.mjs';

const [racineArg, srcArg, outArg] = process.argv.slice(2);
if (!racineArg || !srcArg || !outArg) {
  console.error('usage: node signin_oidc.mjs RACINE SOURCE_DIR OUT_DIR');
  process.exit(2);
}
const racine = resolve(racineArg);
const src = resolve(srcArg);
const work = resolve(outArg, 'signin-oidc-browser');
const started = Date.now();
if (!existsSync('/usr/bin/chromium')) missing('chromium is absent: run make deps-test (chromium)');
if (!existsSync(resolve(src, '.cache/playwright/node_modules/playwright-core'))) {
  missing('playwright-core is absent from .cache/playwright: run make deps-test');
}
if (!existsSync(resolve(src, '.cache/oidc-provider/node_modules/oidc-provider/package.json'))) {
  missing('oidc-provider is absent from .cache/oidc-provider: run make deps-test');
}
const axePath = resolve(src, '.cache/axe/node_modules/axe-core/axe.min.js');
if (!existsSync(axePath)) missing('axe-core is absent from .cache/axe: run make deps-test');
const axeSource = readFileSync(axePath, 'utf8');
const require = createRequire(resolve(src, '.cache/playwright/package.json'));
const { chromium } = require('playwright-core');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'screenshots'), { recursive: true });

// --- the provider and racine -------------------------------------------------------

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const { op, opDir, config } = startProvider(src, work, base);
const password = email => (op.users.find(u => u.email === email) || {}).password || 'secret';

let server;
const serve = () => serveRacine(racine, port, work, config);

async function call(token, method, path, body, type = 'application/json') {
  const res = await fetch(base + path, { method,
    headers: { Authorization: 'Bearer ' + token, ...(body !== undefined ? { 'Content-Type': type } : {}) },
    body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

// --- the browser -------------------------------------------------------------------

const problems = [];
let browser;
const contexts = [];

// A person's own browser (their own cookies, at racine and at the provider).
async function person(lang = 'en-GB') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang, timezoneId: 'UTC' });
  contexts.push(context);
  const page = await context.newPage();
  const ours = () => page.url().startsWith(base + '/');
  page.on('request', r => {
    const u = r.url();
    if (!u.startsWith(base + '/') && !u.startsWith(op.issuer + '/')) problems.push('request to ' + u);
  });
  page.on('pageerror', e => problems.push('script error: ' + e.message));
  page.on('console', m => {
    if (!ours()) return;
    if (/Content.Security.Policy/i.test(m.text())) problems.push('CSP: ' + m.text());
    else if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4(01|03|04) /.test(m.text())) problems.push('console: ' + m.text());
  });
  return page;
}

// racine's page for a route, drawn.
const ready = (page, route) => page.waitForFunction(([b, r]) => location.href.startsWith(b + '/') &&
  document.getElementById('main') && document.getElementById('main').dataset.ready === r, [base, route]);

// axe-core on racine's page: no serious or critical violation.
async function axeCheck(page, name) {
  if (!await page.evaluate(() => Boolean(window.axe))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`), [],
    `axe on ${name}`);
}

// The provider's login page (after a click on its button): the form posted.
async function atProvider(page, email) {
  await page.waitForURL(u => u.href.startsWith(op.issuer + '/interaction/'));
  await page.fill('#login', email);
  await page.fill('#password', password(email));
  await page.click('form[action$="/login"] button[type=submit]');
}

const { check, fail, done } = checks();

try {
  server = await serve();
  const admin = readFileSync(join(work, 'admin-token'), 'utf8').trim();
  assert.equal((await call(admin, 'PUT', '/api/v1/tenants/acme', { name: 'ACME Industries' })).status, 201);
  assert.equal((await call(admin, 'PUT', '/api/v1/tenants/acme/contracts/main',
    { matrix: 'managed-kubernetes', version: 1, options: [], party: 'Client' })).status, 201);
  const seed = readFileSync(join(src, 'data/managed-kubernetes.md'), 'utf8');
  for (const n of [2, 3]) {
    const r = await call(admin, 'POST', '/api/v1/matrices/managed-kubernetes/versions?force=true',
      seed + `\n<!-- version ${n} -->\n`, 'text/markdown');
    assert.equal(r.status, 201);
  }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

  await check('a client approver signs in at her provider, comes back to the page she asked for, accepts an upgrade, signs out', async () => {
    const page = await person();
    const wanted = '/tenants/acme/contracts/main/upgrade';
    await page.goto(`${base}/#${wanted}`);
    await ready(page, '/signin?next=' + encodeURIComponent(wanted));
    assert.deepEqual(await page.$$eval('main ul.issuers a', a => a.map(x => [x.textContent, x.getAttribute('href')])), [
      ['Sign in with ACME', '/auth/login?issuer=acme&return=' + encodeURIComponent('/#' + wanted)],
      ['Sign in with Cloud Temple', '/auth/login?issuer=cloudtemple&return=' + encodeURIComponent('/#' + wanted)]]);
    assert.equal(await page.isVisible('#token'), false, 'the token form is folded');
    assert.equal(await page.textContent('details.token-entry summary'), 'Use an access token');
    await axeCheck(page, 'sign-in with providers');
    await page.screenshot({ path: join(work, 'screenshots', 'signin-issuers-en.png') });
    await page.click('a.issuer:text-is("Sign in with ACME")');
    await atProvider(page, 'jeanne@acme.example');
    await ready(page, wanted);
    assert.equal(page.url(), `${base}/#${wanted}`);
    assert.match(await page.innerText('#whoami'), /^Jeanne Martin\s+Client · ACME Industries · Approver$/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('racine.session')), null, 'no token in the tab');
    assert.doesNotMatch(await page.evaluate(() => document.cookie), /racine_session/, 'the cookie is HttpOnly');
    await axeCheck(page, 'a person\'s upgrade page');
    await page.screenshot({ path: join(work, 'screenshots', 'person-upgrade-en.png') });
    // A write with the cookie: refused without the CSRF header, which the portal sends.
    await page.click('#accept-upgrade');
    assert.match(await page.textContent('#confirm-upgrade-text'), /^Accept version 3 for .+\? From then on/);
    await page.click('#confirm-upgrade');
    await ready(page, '/tenants/acme/contracts/main');
    // The contract page names who accepted, with her client and the day.
    const today = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    assert.equal(await page.textContent('#accepted'), `Accepted by Jeanne Martin (ACME Industries) on ${today}, version 1 → 3.`);
    assert.equal(await page.textContent('h1'), 'Contract main of ACME Industries');
    // The history: the evidence to attach to the contract, printable.
    await open(page, '/tenants/acme/contracts/main/history');
    const rows = await page.$$eval('table.consents tbody tr', trs => trs.map(tr => [...tr.cells].map(c => c.innerText.replace(/\s+/g, ' ').trim())));
    assert.equal(rows.length, 1);
    assert.equal(rows[0][1], '1 → 3');
    assert.equal(rows[0][2], 'Jeanne Martin (ACME Industries) jeanne@acme.example');
    assert.match(rows[0][3], new RegExp(`^${op.issuer.replace(/[.]/g, '\\.')} 2d8f4c60-`));
    assert.match(rows[0][4], /^[0-9a-f]{64}$/);
    assert.equal(await page.isVisible('#print-history'), true);
    await axeCheck(page, 'the consents\' history');
    await page.screenshot({ path: join(work, 'screenshots', 'contract-history-en.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('#print-history'), false, 'the print leaves out the buttons');
    assert.equal(await page.isVisible('#nav'), false);
    await page.emulateMedia({ media: 'screen' });
    const contract = (await call(admin, 'GET', '/api/v1/tenants/acme/contracts/main')).json;
    assert.equal(contract.version, 3);
    const audit = (await call(admin, 'GET', '/api/v1/audit?tenant=acme')).json;
    assert.equal(audit[0].action, 'contract.upgrade');
    assert.equal(audit[0].by, 'Jeanne Martin');
    // Sign-out: racine's session ends, then the provider's logout page, then back here.
    await page.click('#signout');
    await page.waitForURL(u => u.href.startsWith(op.issuer + '/session/end'));
    assert.equal((await page.request.get(base + '/api/v1/me')).status(), 401);
    await page.click('button[name=logout]');
    await ready(page, '/signin');
    assert.equal(await page.isVisible('#signout'), false);
    assert.equal(await page.innerText('#whoami'), '');
  });

  await check('a client reader sees no Accept button; her session ends, she signs in again and is back where she was', async () => {
    // A version newer than the contract's, for the reader to see.
    const seed = readFileSync(join(src, 'data/managed-kubernetes.md'), 'utf8');
    assert.equal((await call(admin, 'POST', '/api/v1/matrices/managed-kubernetes/versions?force=true',
      seed + '\n<!-- version 4 -->\n', 'text/markdown')).status, 201);
    const page = await person('fr-FR');
    await page.goto(`${base}/#/signin`);
    await ready(page, '/signin');
    assert.equal(await page.getAttribute('a.issuer >> nth=0', 'href'), '/auth/login?issuer=acme&return=%2F%23%2F');
    await page.click('a.issuer:text-is("Se connecter avec ACME")');
    await atProvider(page, 'paul@acme.example');
    await ready(page, '/contracts');  // "/#/": the start page of a client
    assert.match(await page.innerText('#whoami'), /^Paul Durand\s+Client · ACME Industries · Lecteur$/);
    await page.goto(`${base}/#/tenants/acme/contracts/main/upgrade`);
    await ready(page, '/tenants/acme/contracts/main/upgrade');
    assert.match(await page.textContent('h2#upgrade-title'), /^Version 3 → version 4$/);
    assert.equal(await page.locator('#accept-upgrade').count(), 0);
    assert.equal(await page.textContent('#accept-denied'),
      'Seuls les approbateurs du client ACME Industries (ou les éditeurs du prestataire) peuvent accepter cette version.');
    // The session ends (here: the cookie is gone); the next page's calls are refused.
    await page.context().clearCookies({ name: 'racine_session' });
    await page.evaluate(() => { location.hash = '#/tenants/acme/contracts/main/duties'; });
    const back = '/tenants/acme/contracts/main/duties';
    await ready(page, '/signin?expired=session&next=' + encodeURIComponent(back));
    assert.equal(await page.textContent('#signin-error'), 'Votre session a pris fin. Reconnectez-vous.');
    // The provider still knows her: its button brings her straight back.
    await page.click('a.issuer:text-is("Se connecter avec ACME")');
    await ready(page, back);
    assert.match(await page.innerText('#whoami'), /^Paul Durand/);
  });

  await check('the provider\'s viewer reads the matrices and is offered no change', async () => {
    const page = await person();
    await page.goto(`${base}/#/signin`);
    await ready(page, '/signin');
    await page.click('a.issuer:text-is("Sign in with Cloud Temple")');
    await atProvider(page, 'bob@cloudtemple.example');
    await ready(page, '/matrices');
    assert.match(await page.innerText('#whoami'), /^Bob Leroy\s+Viewer$/);
    assert.equal(await page.locator('main form').count(), 0, 'no upload');
    await open(page, '/admin/tenants');
    assert.match(await page.textContent('main table.list'), /ACME Industries/);
    assert.equal(await page.locator('main form').count(), 0, 'no client or contract form');
    // A client's contract, worded for the provider reading it.
    await open(page, '/tenants/acme/contracts/main/duties');
    assert.match(await page.textContent('#duties-title'), /^What the client must do, as /);
    assert.equal(await page.textContent('nav.tabs a[href$="/duties"]'), 'What the client must do');
    assert.match(await page.textContent('p.meta'), /the client is the party /);
  });

  await check('a provider admin signs in at the provider, creates a client with an email domain, sets a person\'s role, invites', async () => {
    const page = await person();
    await page.goto(`${base}/#/signin`);
    await ready(page, '/signin');
    await page.click('a.issuer:text-is("Sign in with Cloud Temple")');
    await atProvider(page, 'alice@cloudtemple.example');
    await ready(page, '/matrices');
    assert.match(await page.innerText('#whoami'), /^Alice Martin\s+Administrator$/);
    await open(page, '/admin/tenants');
    await page.fill('#tenant-id', 'initech');
    await page.fill('#tenant-name', 'Initech');
    await page.fill('#tenant-domains', 'Initech.example, initech.fr');
    await page.click('#tenant-domains ~ button[type=submit], form:has(#tenant-id) button[type=submit]');
    await page.waitForSelector('#tenant-initech');
    assert.equal(await page.innerText('#tenant-initech td:nth-child(3)'), 'initech.example, initech.fr');
    const tenant = (await call(admin, 'GET', '/api/v1/tenants')).json.find(x => x.id === 'initech');
    assert.deepEqual(tenant.email_domains, ['initech.example', 'initech.fr']);
    // People: Paul made a responder here, then handed back to his sign-in.
    await open(page, '/admin/people');
    const paulRow = page.locator('tr', { has: page.locator('th', { hasText: 'Paul Durand' }) });
    assert.equal(await paulRow.locator('td').nth(0).innerText(), 'ACME Industries');
    await paulRow.getByLabel('Role at the client of Paul Durand').selectOption('responder');
    await paulRow.getByRole('button', { name: 'Save' }).click();
    await page.waitForSelector('#people-tab tr:has-text("Paul Durand"):has-text("an admin")');
    const users = (await call(admin, 'GET', '/api/v1/users')).json;
    const paul = users.find(u => u.email === 'paul@acme.example');
    assert.deepEqual([paul.tenant_role, paul.assigned_by], ['responder', 'admin']);
    // Her own row offers no change (no lock-out).
    const aliceRow = page.locator('tr', { has: page.locator('th', { hasText: 'Alice Martin' }) });
    assert.equal(await aliceRow.getByRole('button').count(), 0);
    await axeCheck(page, 'people');
    await page.screenshot({ path: join(work, 'screenshots', 'admin-people-en.png'), fullPage: true });
    // The button's own words contain "their sign-in": wait for the redrawn row, which no
    // longer offers it, before leaving the page.
    const release = page.locator('tr', { has: page.locator('th', { hasText: 'Paul Durand' }) })
      .getByRole('button', { name: 'Back to their sign-in' });
    await release.click();
    await release.waitFor({ state: 'detached' });
    assert.equal((await call(admin, 'GET', '/api/v1/users')).json.find(u => u.email === 'paul@acme.example').assigned_by, 'sign-in');
    // An invitation to ACME, from the client's row.
    await open(page, '/admin/tenants');
    await page.click('#tenant-acme a.people-link');
    await ready(page, '/tenants/acme/people');
    await page.fill('#invite-email', 'Ines@acme.example');
    await page.selectOption('#invite-role', 'responder');
    await page.click('form button[type=submit]');
    await ready(page, '/tenants/acme/people?invited=ines%40acme.example');
    assert.equal(await page.textContent('#invite-sent'), 'ines@acme.example is invited.');
    const cells = await page.$$eval('table.invitations tbody tr td', tds => tds.map(td => td.innerText.trim()));
    assert.deepEqual(cells.slice(0, 3), ['ines@acme.example', 'Responder', 'Alice Martin']);
    assert.match(cells[3], /^Open until \d{1,2} \w+ \d{4}$/);
    await axeCheck(page, 'a client\'s people');
    await page.screenshot({ path: join(work, 'screenshots', 'tenant-people-en.png'), fullPage: true });
  });

  await check('a person with no role here lands on the no-access page', async () => {
    const page = await person();
    await page.goto(`${base}/#/signin`);
    await ready(page, '/signin');
    await page.click('a.issuer:text-is("Sign in with ACME")');
    await atProvider(page, 'zoe@nowhere.example');
    await ready(page, '/no-access');
    assert.equal(await page.textContent('h1'), 'No access to racine');
    assert.match(await page.textContent('main'), /gives you no role in racine.*identity provider/s);
    assert.equal(await page.isVisible('#signout'), false);
    await axeCheck(page, 'no access');
    await page.screenshot({ path: join(work, 'screenshots', 'no-access-en.png') });
    await page.click('#noaccess-retry');
    await ready(page, '/signin');
  });

  await check('a sign-in cancelled at the provider comes back with the reason', async () => {
    const page = await person();
    await page.goto(`${base}/#/signin`);
    await ready(page, '/signin');
    await page.click('a.issuer:text-is("Sign in with ACME")');
    await page.waitForURL(u => u.href.startsWith(op.issuer + '/interaction/'));
    await page.click('form[action$="/abort"] button[type=submit]');
    await page.waitForSelector('#signin-provider-error');
    assert.match(await page.textContent('#signin-provider-error'),
      /^The sign-in did not go through: your organisation's identity provider refused it \(cancelled, or not allowed there\)\. the provider refused the sign-in \(access_denied\)$/);
    assert.equal(await page.textContent('#signin-provider-error code.detail[lang=en]'), 'the provider refused the sign-in (access_denied)');
    assert.equal(await page.isVisible('#signout'), false);
  });

  assert.deepEqual(problems, []);
} catch (e) {
  fail('the journeys', e);
} finally {
  for (const c of contexts) await c.close().catch(() => {});
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  stopProvider(src, opDir);
}
console.log(`signin_oidc: ${((Date.now() - started) / 1000).toFixed(1)} s`);
done('signin_oidc');

async function open(page, route) {
  await page.goto(`${base}/#${route}`);
  await ready(page, route);
}
