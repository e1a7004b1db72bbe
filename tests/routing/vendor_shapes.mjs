// What racine sends to each receiver type, checked by the vendor's own rules: `racine
// serve` (SQLite, 127.0.0.1) routes a firing, an informed and a resolved alert to Teams,
// Slack, Mattermost, PagerDuty and a templated receiver, all pointing at one loopback
// sink here; then
// - Teams: Microsoft's Adaptive Cards parser (npm's adaptivecards, pinned) reads each card
//   with no warning, and does warn on a card with a misspelt element (so this can fail);
// - PagerDuty: each event against the Events API v2 shape (schemas/pagerduty-events-v2);
// - Slack: each message against Block Kit's limits (schemas/slack-incoming-webhook);
// - Mattermost: one Markdown text within Mattermost's 16,383 characters;
// - the template: a JSON document however hostile the alert's values.
// A broken copy of a PagerDuty event and of a Slack message is refused by its schema.
// Usage: node vendor_shapes.mjs RACINE SOURCE_DIR OUT_DIR
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { checks, freePort, missing, serveRacine, stopRacine } from '../oidc/harness.mjs';

const [racineArg, srcArg, outArg] = process.argv.slice(2);
if (!racineArg || !srcArg || !outArg) {
  console.error('usage: node vendor_shapes.mjs RACINE SOURCE_DIR OUT_DIR');
  process.exit(2);
}
const racine = resolve(racineArg);
const src = resolve(srcArg);
const work = resolve(outArg, 'vendor-shapes');
const cardsPath = resolve(src, '.cache/adaptivecards/node_modules/adaptivecards/dist/adaptivecards.js');
if (!existsSync(cardsPath)) missing('adaptivecards is absent from .cache/adaptivecards: run make deps-test');
const ajvDir = resolve(src, '.cache/ajv/package.json');
if (!existsSync(resolve(src, '.cache/ajv/node_modules/ajv'))) missing('ajv is absent from .cache/ajv: run make deps-test');
const require = createRequire(ajvDir);
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const AC = createRequire(cardsPath)(cardsPath);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// --- the sink: every request, answered 200 ---------------------------------------------
const seen = [];
const sink = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', c => { body += c; });
  req.on('end', () => {
    seen.push({ method: req.method, path: req.url, type: req.headers['content-type'], body });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"success"}');
  });
});
await new Promise(ok => sink.listen(0, '127.0.0.1', ok));
const sinkUrl = path => `http://127.0.0.1:${sink.address().port}${path}`;

// --- racine ----------------------------------------------------------------------------
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const config = join(work, 'racine.toml');
writeFileSync(config, `public-url = "${base}"\n`);
const server = await serveRacine(racine, port, work, config);
const admin = readFileSync(join(work, 'admin-token'), 'utf8').trim();
async function call(token, method, path, body) {
  const res = await fetch(base + path, { method, headers: { Authorization: 'Bearer ' + token,
    ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
  body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const { check, fail, done } = checks();
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const schema = name => ajv.compile(JSON.parse(readFileSync(join(src, 'tests/routing/schemas', name), 'utf8')));
const pagerduty = schema('pagerduty-events-v2.schema.json');
const pagerdutyChange = schema('pagerduty-change-events-v2.schema.json');
const slack = schema('slack-incoming-webhook.schema.json');
const errors = v => (v.errors || []).map(e => `${e.instancePath} ${e.message}`).join('; ');

// Microsoft's parser on a card: what it warns of, and what its validation finds.
function cardProblems(card) {
  const ctx = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, ctx);
  const out = [];
  for (let i = 0; i < ctx.eventCount; i++) out.push(ctx.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents || []) out.push(e.message);
  return out;
}

try {
  const types = {
    teams: { type: 'teams', url: sinkUrl('/teams/workflow') },
    slack: { type: 'slack', url: sinkUrl('/slack/T0/B0/X') },
    mattermost: { type: 'mattermost', url: sinkUrl('/mattermost/hooks/x'), lang: 'fr' },
    pagerduty: { type: 'pagerduty', routing_key: 'R0UT1NGKEY0000000000000000000000', url: sinkUrl('/pagerduty/v2/enqueue') },
    template: { type: 'template', url: sinkUrl('/desk'), headers: { Authorization: 'Token t' },
      body: '{"subject": "{{title}}", "text": "{{alert.annotations.description}}", "labels": "{{alert.labels.alertname}}"}' },
  };
  // The platform alert: Cloud Temple Responsible, the client Informed; the application
  // alert: the client Responsible. Each tenant's client party and the provider's party
  // go to the same receiver type.
  for (const [id, receiver] of Object.entries(types)) {
    assert.equal((await call(admin, 'PUT', `/api/v1/tenants/${id}`, { name: id })).status, 201);
    assert.equal((await call(admin, 'PUT', `/api/v1/tenants/${id}/contracts/main`,
      { matrix: 'managed-kubernetes', version: 1, options: [], party: 'client' })).status, 201);
    const r = await call(admin, 'PUT', `/api/v1/tenants/${id}/receivers/client`, receiver);
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  const alert = (fingerprint, status, labels) => ({ status, labels, fingerprint,
    annotations: { summary: 'Pods restart', description: '"quoted", \\ back\nslash <!here> [x](https://evil.example) {{title}}',
      runbook_url: 'https://runbooks.example/crashloop' },
    startsAt: '2026-11-30T10:00:00Z', endsAt: status === 'resolved' ? '2026-11-30T10:05:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example/graph' });
  const app = { alertname: 'KubePodCrashLooping', namespace: 'shop', severity: 'critical' };
  const platform = { alertname: 'KubeNodeNotReady', namespace: 'kube-system' };
  for (const id of Object.keys(types)) {
    const ingest = (await call(admin, 'POST', '/api/v1/tokens', { role: 'ingest', tenant: id, name: 'am' })).json.token;
    for (const alerts of [[alert('a1', 'firing', app), alert('p1', 'firing', platform)], [alert('a1', 'resolved', app)]]) {
      const r = await call(ingest, 'POST', `/api/v1/tenants/${id}/alertmanager`,
        { version: '4', groupKey: '{}', truncatedAlerts: 0, status: 'firing', receiver: 'racine',
          groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am.example', alerts });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    }
  }
  // Each tenant's client gets: a1 firing (R), p1 informed (I), a1 resolved.
  const deadline = Date.now() + 20000;
  while (seen.length < 15 && Date.now() < deadline) await new Promise(ok => setTimeout(ok, 100));
  const by = prefix => seen.filter(q => q.path.startsWith(prefix)).map(q => JSON.parse(q.body));

  await check('each receiver got its three deliveries, as JSON', async () => {
    assert.equal(seen.length, 15, JSON.stringify(seen.map(q => q.path)));
    for (const q of seen) assert.equal(q.type, 'application/json');
  });
  await check('Teams: every card reads without a warning in Microsoft\'s own parser', async () => {
    const cards = by('/teams');
    assert.equal(cards.length, 3);
    for (const m of cards) {
      assert.equal(m.type, 'message');
      assert.equal(m.attachments.length, 1);
      assert.equal(m.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
      assert.deepEqual(cardProblems(m.attachments[0].content), []);
    }
    // The check can fail: a misspelt element and a colour the schema lacks are reported.
    const broken = structuredClone(cards[0].attachments[0].content);
    broken.body[0].type = 'TextBlok';
    broken.body[1].color = 'Purple';
    assert.equal(cardProblems(broken).length >= 1, true);
  });
  await check('PagerDuty: trigger and resolve as Events API v2 says; the informed party a change event', async () => {
    const events = by('/pagerduty/v2/enqueue');
    assert.equal(events.length, 2);
    for (const e of events) assert.equal(pagerduty(e), true, errors(pagerduty));
    const actions = events.map(e => `${e.event_action} ${e.payload ? e.payload.severity : '-'}`).sort();
    assert.deepEqual(actions, ['resolve -', 'trigger critical']);
    // What the Informed party must only know: on the service's timeline, no incident.
    const changes = by('/pagerduty/v2/change/enqueue');
    assert.equal(changes.length, 1);
    assert.equal(pagerdutyChange(changes[0]), true, errors(pagerdutyChange));
    assert.match(changes[0].payload.summary, /^For information: /);
    assert.equal(pagerdutyChange({ ...changes[0], event_action: 'trigger' }), false);
    const a1 = events.filter(e => e.event_action === 'resolve' || e.payload.class === 'KubePodCrashLooping');
    assert.equal(new Set(a1.map(e => e.dedup_key)).size, 1, 'one incident for a1');
    const bad = structuredClone(events.find(e => e.payload));
    bad.payload.severity = 'fatal';
    delete bad.payload.source;
    assert.equal(pagerduty(bad), false);
  });
  await check('Slack: every message within Block Kit\'s shape and limits; links and mentions escaped', async () => {
    const messages = by('/slack');
    assert.equal(messages.length, 3);
    for (const m of messages) assert.equal(slack(m), true, errors(slack));
    const firing = messages.find(m => m.text.startsWith('Firing: KubePodCrashLooping'));
    assert.ok(firing);
    assert.match(firing.blocks[2].text.text, /&lt;!here&gt;/);
    assert.deepEqual(firing.blocks[3].elements.map(b => b.text.text), ['Acknowledge', 'Open in racine', 'Runbook', 'Source']);
    const bad = structuredClone(firing);
    bad.blocks[0].text.text = 'x'.repeat(151);
    assert.equal(slack(bad), false);
  });
  await check('Mattermost: Markdown text in French, within its length', async () => {
    const posts = by('/mattermost');
    assert.equal(posts.length, 3);
    for (const p of posts) {
      assert.deepEqual(Object.keys(p), ['text']);
      assert.ok(p.text.length <= 16383);
    }
    assert.deepEqual(posts.map(p => p.text.split('\u202f:')[0]).sort(), ['#### Déclenchée', '#### Pour information', '#### Résolue']);
  });
  await check('the template: a JSON document whatever the alert says', async () => {
    const tickets = by('/desk');
    assert.equal(tickets.length, 3);
    for (const t of tickets) {
      assert.equal(t.text, '"quoted", \\ back\nslash <!here> [x](https://evil.example) {{title}}');
      assert.deepEqual(Object.keys(t), ['subject', 'text', 'labels']);
    }
  });
} catch (e) {
  fail('the deliveries', e);
} finally {
  await stopRacine(server);
  sink.close();
}
done('vendor_shapes');
