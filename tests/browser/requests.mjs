// A gray-zone request from the question to "done", on both sides, in Debian's chromium
// against a real `racine serve` (SQLite): a client asks a question the matrix does not
// cover, its answer offers to ask the provider, the request is sent; the provider sees it
// among the open requests and quotes; the client accepts; the provider marks it done; both
// pages show the history with who and when. Twice: a French client and an English
// provider, then an English client and a French provider; at 1280 px for the one and
// 390 px for the other. Every page: no word of the other language (the request's own text
// aside: data), nothing wider than the screen, no serious or critical axe-core violation,
// a screenshot under OUT_DIR/requests-screenshots/.
// Usage: node requests.mjs RACINE SOURCE_DIR OUT_DIR
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { call, otherLanguageWords, overflowing, serve as serveWith } from './journeys.mjs';

const [racine, src, out] = process.argv.slice(2);
const serve = args => serveWith(racine, args);
const missing = what => {
  if (process.env.CI === 'true') { console.error(`error: CI=true and ${what}`); process.exit(1); }
  console.log(`skipped: ${what}`);
  process.exit(77);
};
if (!existsSync('/usr/bin/chromium')) missing('chromium is absent: run make deps-test (chromium)');
if (!existsSync(resolve(src, '.cache/playwright/node_modules/playwright-core'))) missing('playwright-core is absent from .cache/playwright');
const axePath = resolve(src, '.cache/axe/node_modules/axe-core/axe.min.js');
if (!existsSync(axePath)) missing('axe-core is absent from .cache/axe');
const axeSource = readFileSync(axePath, 'utf8');
const require = createRequire(resolve(src, '.cache/playwright/package.json'));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const shots = join(out, 'requests-screenshots');
rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
const problems = [];

async function newPage(base, { width, lang }) {
  const context = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 844 }, locale: lang === 'fr' ? 'fr-FR' : 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const origin = new URL(base).origin;
  page.on('request', r => { if (!r.url().startsWith(origin + '/')) problems.push('request to ' + r.url()); });
  page.on('pageerror', e => problems.push('script error: ' + e.message));
  page.on('console', m => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4(01|03|04|22) /.test(m.text())) problems.push('console: ' + m.text());
  });
  page.on('dialog', d => d.accept());
  await page.goto(base + '/');
  await page.evaluate(l => localStorage.setItem('racine.lang', l), lang);
  return page;
}

async function open(page, base, route) {
  if (await page.evaluate(r => location.hash === '#' + r, route)) await page.reload();
  else await page.goto(base + '/#' + route);
  await page.waitForFunction(r => document.getElementById('main').dataset.ready === r, route);
}

async function signIn(page, base, token) {
  await open(page, base, '/signin');
  await page.fill('#token', token);
  await page.click('form.signin button[type=submit]');
  await page.waitForFunction(() => !location.hash.startsWith('#/signin') && document.getElementById('main').dataset.ready === location.hash.slice(1));
}

// The same checks as portal.mjs: words of one language only, on what the page shows
// outside the matrix's own text, the ids and the data (names, the request's own words).
async function check(page, lang, where, data) {
  await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang, where);
  assert.deepEqual(await otherLanguageWords(page, lang, data), [], `${where}: words of the other language`);
  assert.deepEqual(await overflowing(page), [], `${where}: wider than the screen`);
  if (!await page.evaluate(() => Boolean(window.axe))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`), [], `axe on ${where}`);
  await page.screenshot({ path: join(shots, where.replace(/[^a-z0-9-]+/gi, '-') + '.png'), fullPage: true });
}

// One journey: the client in `clientLang` at `clientWidth`, the provider in the other.
async function journey(base, tokens, tenant, clientLang, clientWidth) {
  const providerLang = clientLang === 'fr' ? 'en' : 'fr';
  const providerWidth = clientWidth > 500 ? 390 : 1280;
  const question = clientLang === 'fr' ? 'livrer des pizzas à l’équipe' : 'order pizzas for the team';
  const quote = clientLang === 'fr' ? '12 pizzas, 180 EUR' : '12 pizzas, 180 EUR, Friday';
  const data = [question, quote, 'tenant ' + tenant, 'editor'];
  const tag = `${clientLang}-client-${providerLang}-provider`;

  // The client asks; the answer says gray zone and offers the request.
  const client = await newPage(base, { width: clientWidth, lang: clientLang });
  await signIn(client, base, tokens[tenant]);
  await open(client, base, `/tenants/${tenant}/contracts/main`);
  await client.fill('#who', question);
  await client.waitForSelector('#who-result .answer.outcome-gray_zone');
  await client.waitForSelector('#request-ask');
  assert.equal(await client.textContent('#request-ask'), clientLang === 'fr' ? 'Demander au prestataire' : 'Ask the provider for it');
  await client.click('#request-ask');
  assert.equal(await client.inputValue('#request-text'), question);
  await check(client, clientLang, `${tag} client-ask`, data);
  await client.click('#request-form button[type=submit]');
  await client.waitForSelector('#request-sent');
  assert.equal((await client.textContent('#request-sent')).startsWith(clientLang === 'fr' ? 'Demande envoyée au prestataire.' : 'Request sent to the provider.'), true);
  await client.click('#request-sent a');
  await client.waitForFunction(t => document.getElementById('main').dataset.ready === `/tenants/${t}/requests`, tenant);
  assert.equal(await client.textContent('.request-state'), clientLang === 'fr' ? 'Demandée' : 'Requested');
  assert.equal(await client.textContent('#requests-count'), clientLang === 'fr' ? '1 demande ouverte' : '1 open request');

  // The provider: the open requests, by the client's name; quotes.
  const provider = await newPage(base, { width: providerWidth, lang: providerLang });
  await signIn(provider, base, tokens.editor);
  await provider.click('nav a[href="#/requests"]');
  await provider.waitForFunction(() => document.getElementById('main').dataset.ready === '/requests');
  const card = provider.locator('article.request');
  assert.equal(await card.count(), 1);
  assert.match(await card.textContent(), new RegExp(tenant === 'acme' ? 'Acme Industries' : 'Globex'));
  assert.equal(await card.locator('.request-text').textContent(), question);
  await check(provider, providerLang, `${tag} provider-open`, data);
  await card.locator('.quote-input').fill(quote);
  await card.locator('button[data-action=quoted]').click();
  await provider.waitForSelector('article.request.state-quoted');

  // The client accepts the quote.
  await open(client, base, `/tenants/${tenant}/requests`);
  assert.match(await client.textContent('.request-quote'), new RegExp(quote));
  await client.click('button[data-action=accepted]');
  await client.waitForSelector('article.request.state-accepted');

  // The provider marks it done; it leaves the open requests.
  await open(provider, base, '/requests');
  await provider.click('button[data-action=done]');
  await provider.waitForSelector('article.request.state-done');
  const providerHistory = await provider.$$eval('.request-history li', ls => ls.map(l => l.dataset.state + ' ' + l.textContent));
  await check(provider, providerLang, `${tag} provider-done`, data);
  await open(provider, base, '/requests');
  assert.equal(await provider.locator('article.request').count(), 0);

  // Both pages: the history, done, with who and when.
  await open(client, base, `/tenants/${tenant}/requests`);
  assert.equal(await client.textContent('.request-state'), clientLang === 'fr' ? 'Réalisée' : 'Done');
  const clientHistory = await client.$$eval('.request-history li', ls => ls.map(l => l.dataset.state + ' ' + l.textContent));
  const org = tenant === 'acme' ? 'Acme Industries' : 'Globex';
  for (const [history, lang] of [[clientHistory, clientLang], [providerHistory, providerLang]]) {
    assert.deepEqual(history.map(l => l.split(' ')[0]), ['requested', 'quoted', 'accepted', 'done']);
    const by = lang === 'fr' ? 'prestataire' : 'provider';
    assert.match(history[0], new RegExp(`tenant ${tenant}, ${org}$`));
    assert.match(history[1], new RegExp(`editor, ${by}$`));
    assert.match(history[2], new RegExp(`tenant ${tenant}, ${org}$`));
    assert.match(history[3], new RegExp(`editor, ${by}$`));
    for (const l of history) assert.match(l, /\d{4}/, 'a date');
  }
  assert.equal(await client.textContent('#requests-count'), clientLang === 'fr' ? '0 demande ouverte' : '0 open requests');
  await check(client, clientLang, `${tag} client-done`, data);
  await client.context().close();
  await provider.context().close();
}

const dir = mkdtempSync(join(tmpdir(), 'racine-requests-'));
const { child, base, admin } = await serve(['--data', dir, '--admin-token-file', join(dir, 'admin-token')]);
try {
  const token = async (role, tenant) => {
    const r = await call(base, admin, 'POST', '/api/v1/tokens', { role, name: `${role} ${tenant || ''}`.trim(), ...(tenant ? { tenant } : {}) });
    assert.equal(r.status, 201);
    return r.json.token;
  };
  const editor = await token('editor');
  for (const [id, name] of [['acme', 'Acme Industries'], ['globex', 'Globex']]) {
    assert.equal((await call(base, editor, 'PUT', `/api/v1/tenants/${id}`, { name })).status, 201);
    assert.equal((await call(base, editor, 'PUT', `/api/v1/tenants/${id}/contracts/main`, { matrix: 'managed-kubernetes', version: 1, options: [], party: 'Client' })).status, 201);
  }
  const tokens = { editor, acme: await token('tenant', 'acme'), globex: await token('tenant', 'globex') };
  await journey(base, tokens, 'acme', 'fr', 1280);
  await journey(base, tokens, 'globex', 'en', 390);
  assert.deepEqual(problems, []);
  console.log(`requests: two journeys (fr client / en provider, en client / fr provider), screenshots in ${shots}`);
} finally {
  child.kill('SIGTERM');
  await browser.close();
}
