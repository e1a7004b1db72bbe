// People sign in to racine through their organisation's OpenID Provider (docs/identity.md),
// end to end with real processes: the private OpenID Provider of tests/oidc/op.sh
// (panva's oidc-provider) and `racine serve` on SQLite, both on 127.0.0.1, driven as a
// browser without JavaScript would (redirects followed, the provider's login form
// posted, cookies kept per site). What it checks: the code flow with state, nonce and
// PKCE; the roles the configuration maps from each person's groups; a replayed callback
// refused; named consent; the CSRF defence of writes made with the session cookie; the
// "no access" page; a rotated provider key fetched again; a session kept across a
// restart; sign-out here and at the provider.
//
// usage: node signin.mjs RACINE SOURCE_DIR WORK_DIR
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import assert from 'node:assert/strict';
import { Jar, checks, freePort, http, missing, serveRacine, startProvider, stopProvider,
  stopRacine } from './harness.mjs';

const [racineArg, srcArg, workArg] = process.argv.slice(2);
if (!racineArg || !srcArg || !workArg) {
  console.error('usage: node signin.mjs RACINE SOURCE_DIR WORK_DIR');
  process.exit(2);
}
const racine = resolve(racineArg);
const src = resolve(srcArg);
const work = resolve(workArg, 'oidc-signin');
if (!existsSync(resolve(src, '.cache/oidc-provider/node_modules/oidc-provider/package.json'))) {
  missing('oidc-provider is absent from .cache/oidc-provider: run make deps-test');
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const { check, fail, done } = checks();

// --- the provider and racine -------------------------------------------------------

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// Two instances on one PostgreSQL (when the test run has its private server).
const pgState = process.env.RACINE_TEST_PG_STATE;
const pgBase = pgState && existsSync(pgState) ? readFileSync(pgState, 'utf8').split('\n')[0].trim() : '';
if (!pgBase && process.env.CI === 'true') {
  console.error('error: CI=true and no private PostgreSQL server (RACINE_TEST_PG_STATE)');
  process.exit(1);
}
const pgPorts = pgBase ? [await freePort(), await freePort()] : [];
const { op, opDir, config } =
  startProvider(src, work, base, pgPorts.map(p => `http://127.0.0.1:${p}`));
let server;
const start = () => serveRacine(racine, port, work, config);
const stop = stopRacine;

const api = (method, path, token, body) => http(method, base + path, {
  headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}),
    ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
  body: body !== undefined ? JSON.stringify(body) : undefined });
// A call made by the portal with the session cookie (the CSRF header, the same origin).
const portal = (jar, method, path, body, extra = {}) => http(method, base + path, { jar,
  headers: { 'X-Racine-CSRF': '1', Origin: base,
    ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...extra },
  body: body !== undefined ? JSON.stringify(body) : undefined });

// The whole sign-in as a browser: racine's /auth/login, the provider's login form, back
// to racine's callback; returns where racine sent the browser and the jar.
const signIn = async (issuer, email, { jar = new Jar(), back = '/#/contracts', at = base } = {}) => {
  let r;
  // Many sign-ins from one address: past the per-address burst, wait as told (Retry-After).
  for (let tries = 0; tries < 5; tries++) {
    r = await http('GET', `${at}/auth/login?issuer=${issuer}&return=${encodeURIComponent(back)}`, { jar });
    if (r.status !== 429) break;
    await new Promise(ok => setTimeout(ok, 1000 * Number(r.headers['retry-after'] || 1)));
  }
  assert.equal(r.status, 302, r.text);
  const authorize = new URL(r.location);
  let url = r.location;
  let callback;
  for (let hops = 0; hops < 12; hops++) {
    if (url.startsWith(`${at}/auth/callback`)) { callback = url; break; }
    const res = await http('GET', url, { jar });
    if (res.status === 200 && /name="login"/.test(res.text)) {
      const action = /<form method="post" action="([^"]+\/login)">/.exec(res.text)[1];
      const posted = await http('POST', new URL(action, op.issuer).href, { jar,
        form: { login: email, password: 'secret' } });
      url = posted.location;
      continue;
    }
    assert.ok(res.status >= 300 && res.status < 400, `${url}: ${res.status} ${res.text}`);
    url = res.location;
  }
  assert.ok(callback, 'the provider sent the browser back to racine');
  const landed = await http('GET', callback, { jar });
  assert.equal(landed.status, 302, landed.text);
  return { authorize, callback, landed, jar, location: landed.location };
};

try {
  server = await start();
  const admin = readFileSync(resolve(work, 'admin-token'), 'utf8').trim();
  assert.equal((await api('PUT', '/api/v1/tenants/acme', admin, { name: 'ACME Industries' })).status, 201);
  assert.equal((await api('PUT', '/api/v1/tenants/acme/contracts/main', admin,
    { matrix: 'managed-kubernetes', version: 1, options: [], party: 'client' })).status, 201);
  const seed = readFileSync(resolve(src, 'data/managed-kubernetes.md'), 'utf8');
  for (const n of [2, 3]) {
    const r = await http('POST', `${base}/api/v1/matrices/managed-kubernetes/versions?force=true`, {
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'text/markdown' },
      body: seed + `\n<!-- version ${n} -->\n` });
    assert.equal(r.status, 201, r.text);
  }

  await check('the sign-in buttons: /auth/issuers names each configured provider', async () => {
    const r = await http('GET', `${base}/auth/issuers`);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.text), [{ id: 'acme', name: 'ACME' }, { id: 'cloudtemple', name: 'Cloud Temple' }]);
  });

  let jeanne;
  await check('a client approver signs in: code flow with state, nonce and PKCE S256', async () => {
    jeanne = await signIn('acme', 'jeanne@acme.example');
    const p = jeanne.authorize.searchParams;
    assert.equal(p.get('response_type'), 'code');
    assert.equal(p.get('client_id'), 'racine');
    assert.equal(p.get('redirect_uri'), `${base}/auth/callback`);
    assert.equal(p.get('code_challenge_method'), 'S256');
    assert.match(p.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
    assert.match(p.get('state'), /^[A-Za-z0-9_-]{43}$/);
    assert.match(p.get('nonce'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(jeanne.location, `${base}/#/contracts`);
    const cookie = jeanne.landed.headers['set-cookie'][0];
    assert.match(cookie, /^racine_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
  });
  await check('GET /api/v1/me names the person, the tenant and the tenant role', async () => {
    const r = await http('GET', `${base}/api/v1/me`, { jar: jeanne.jar });
    assert.equal(r.status, 200, r.text);
    const me = JSON.parse(r.text);
    delete me.id;
    assert.deepEqual(me, { kind: 'user', name: 'Jeanne Martin', email: 'jeanne@acme.example',
      role: 'tenant', tenant: 'acme', tenant_name: 'ACME Industries', tenant_role: 'approver' });
    // Only her tenant: another's resources are missing.
    assert.equal((await http('GET', `${base}/api/v1/tenants`, { jar: jeanne.jar })).status, 403);
  });
  await check('a replayed callback (its state already used) is refused, no session given', async () => {
    const again = await http('GET', jeanne.callback, { jar: new Jar() });
    assert.equal(again.status, 302);
    assert.match(again.location, /#\/signin\?reason=stale&error=this%20sign-in%20is%20unknown%2C%20used%20or%20too%20old/);
    assert.equal(again.headers['set-cookie'], undefined);
    const forged = await http('GET', `${base}/auth/callback?code=x&state=forged`, { jar: new Jar() });
    assert.match(forged.location, /#\/signin\?reason=stale&error=/);
    assert.equal(forged.headers['set-cookie'], undefined);
  });
  await check('a write with the cookie from another site, or without the CSRF header, is refused', async () => {
    const evil = await portal(jeanne.jar, 'POST', '/api/v1/tenants/acme/contracts/main/upgrade',
      { version: 2 }, { Origin: 'http://evil.example' });
    assert.equal(evil.status, 403, evil.text);
    assert.equal(JSON.parse(evil.text).error.code, 'csrf');
    const bare = await http('POST', `${base}/api/v1/tenants/acme/contracts/main/upgrade`, { jar: jeanne.jar,
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ version: 2 }) });
    assert.equal(bare.status, 403, bare.text);
    const c = JSON.parse((await api('GET', '/api/v1/tenants/acme/contracts/main', admin)).text);
    assert.equal(c.version, 1);
  });
  await check('the approver accepts an upgrade: the consent and the audit name her', async () => {
    const preview = JSON.parse((await http('GET', `${base}/api/v1/tenants/acme/contracts/main/upgrade`, { jar: jeanne.jar })).text);
    const r = await portal(jeanne.jar, 'POST', '/api/v1/tenants/acme/contracts/main/upgrade',
      { version: 2, diff_sha256: preview.diff_sha256 });
    assert.equal(r.status, 200, r.text);
    const by = JSON.parse(r.text).accepted.by;
    assert.equal(by.kind, 'user');
    assert.equal(by.name, 'Jeanne Martin');
    assert.equal(by.email, 'jeanne@acme.example');
    assert.equal(by.issuer, op.issuer);
    assert.equal(by.subject, op.users.find(u => u.email === 'jeanne@acme.example').sub);
    const audit = JSON.parse((await api('GET', '/api/v1/audit?tenant=acme', admin)).text);
    assert.equal(audit[0].action, 'contract.upgrade');
    assert.equal(audit[0].by, 'Jeanne Martin');
  });
  await check('a client viewer reads but cannot accept (403 with why)', async () => {
    const paul = await signIn('acme', 'paul@acme.example');
    const me = JSON.parse((await http('GET', `${base}/api/v1/me`, { jar: paul.jar })).text);
    assert.equal(me.tenant_role, 'viewer');
    assert.equal((await http('GET', `${base}/api/v1/tenants/acme/contracts/main`, { jar: paul.jar })).status, 200);
    const r = await portal(paul.jar, 'POST', '/api/v1/tenants/acme/contracts/main/upgrade', { version: 3 });
    assert.equal(r.status, 403, r.text);
    assert.equal(JSON.parse(r.text).error.message, 'only an approver of the tenant may accept an upgrade');
    // A templated receiver's body may hold a credential: a viewer reads that it exists,
    // not what it says; the approvers and the provider read it.
    const desk = { type: 'template', url: 'https://desk.acme.example/api/tickets',
      body: '{"api_key": "k-123", "subject": "{{title}}"}' };
    assert.equal((await api('PUT', '/api/v1/tenants/acme/receivers/client', admin, desk)).status < 300, true);
    const seen = jar => http('GET', `${base}/api/v1/tenants/acme/receivers`, { jar }).then(x => JSON.parse(x.text));
    const asViewer = (await seen(paul.jar)).find(x => x.party === 'client');
    assert.equal(asViewer.body, true);
    assert.doesNotMatch(JSON.stringify(asViewer), /k-123/);
    const asAdmin = JSON.parse((await api('GET', '/api/v1/tenants/acme/receivers', admin)).text).find(x => x.party === 'client');
    assert.equal(asAdmin.body, desk.body);
  });
  await check('a person with no mapping lands on the no-access page, with no session', async () => {
    const zoe = await signIn('acme', 'zoe@nowhere.example');
    assert.equal(zoe.location, `${base}/#/no-access`);
    assert.equal(zoe.landed.headers['set-cookie'], undefined);
    assert.equal((await http('GET', `${base}/api/v1/me`, { jar: zoe.jar })).status, 401);
  });
  let alice;
  await check('a provider admin signs in through the provider\'s button', async () => {
    alice = await signIn('cloudtemple', 'alice@cloudtemple.example', { back: '/#/matrices' });
    assert.equal(alice.location, `${base}/#/matrices`);
    const me = JSON.parse((await http('GET', `${base}/api/v1/me`, { jar: alice.jar })).text);
    assert.equal(me.role, 'admin');
    assert.equal(me.name, 'Alice Martin');
    assert.equal((await http('GET', `${base}/api/v1/tenants`, { jar: alice.jar })).status, 200);
  });
  await check('a provider viewer reads everything and changes nothing', async () => {
    const bob = await signIn('cloudtemple', 'bob@cloudtemple.example');
    assert.equal(JSON.parse((await http('GET', `${base}/api/v1/me`, { jar: bob.jar })).text).role, 'viewer');
    assert.equal((await http('GET', `${base}/api/v1/tenants`, { jar: bob.jar })).status, 200);
    assert.equal((await http('GET', `${base}/api/v1/audit`, { jar: bob.jar })).status, 403);
    assert.equal((await http('GET', `${base}/api/v1/tenants/acme/contracts/main`, { jar: bob.jar })).status, 200);
    const r = await portal(bob.jar, 'PUT', '/api/v1/tenants/acme', { name: 'taken over' });
    assert.equal(r.status, 403, r.text);
  });
  await check('an approver invites a colleague by address; she signs in with that role, which her next sign-in keeps', async () => {
    // A client invites addresses at its own domains only; a token invites nobody.
    let r = await portal(jeanne.jar, 'POST', '/api/v1/tenants/acme/invitations', { email: 'ines@acme.example' });
    assert.equal(r.status, 403, r.text);
    assert.equal(JSON.parse(r.text).error.message, 'a client invites addresses at its own email domains only (none set: ask the provider)');
    assert.equal((await api('PUT', '/api/v1/tenants/acme', admin, { name: 'ACME Industries', email_domains: ['acme.example'] })).status, 200);
    r = await portal(jeanne.jar, 'POST', '/api/v1/tenants/acme/invitations', { email: 'someone@gmail.com' });
    assert.equal(r.status, 403, r.text);
    r = await portal(jeanne.jar, 'POST', '/api/v1/tenants/acme/invitations', { email: 'Ines@ACME.example', tenant_role: 'responder' });
    assert.equal(r.status, 201, r.text);
    const made = JSON.parse(r.text);
    assert.deepEqual([made.tenant, made.email, made.tenant_role, made.by, made.state],
      ['acme', 'ines@acme.example', 'responder', 'Jeanne Martin', 'open']);
    assert.equal(Date.parse(made.expires) - Date.parse(made.created), 14 * 86400 * 1000);
    // A viewer of the tenant may not invite; another tenant's invitations are not found.
    const paul = await signIn('acme', 'paul@acme.example');
    r = await portal(paul.jar, 'POST', '/api/v1/tenants/acme/invitations', { email: 'x@acme.example' });
    assert.equal(r.status, 403, r.text);
    assert.equal(JSON.parse(r.text).error.message, 'only an approver of the tenant may invite people');
    r = await portal(jeanne.jar, 'POST', '/api/v1/tenants/acme/invitations', { email: 'not an address' });
    assert.equal(r.status, 400, r.text);
    assert.equal(JSON.parse(r.text).error.code, 'bad_address');
    for (const round of [1, 2]) {
      const ines = await signIn('acme', 'ines@acme.example');
      assert.equal(ines.location, `${base}/#/contracts`, `sign-in ${round}`);
      const me = JSON.parse((await http('GET', `${base}/api/v1/me`, { jar: ines.jar })).text);
      assert.deepEqual([me.name, me.tenant, me.tenant_role], ['Inès Roux', 'acme', 'responder']);
    }
    const list = JSON.parse((await http('GET', `${base}/api/v1/tenants/acme/invitations`, { jar: jeanne.jar })).text);
    assert.equal(list.length, 1);
    assert.deepEqual([list[0].state, list[0].used_by], ['used', 'Inès Roux']);
    // Used: it can no longer be withdrawn.
    r = await portal(jeanne.jar, 'DELETE', `/api/v1/tenants/acme/invitations/${made.id}`);
    assert.equal(r.status, 404, r.text);
  });
  await check('a person of a domain the tenant lists joins it as a viewer, not with an unverified address, and leaves with the domain', async () => {
    assert.equal((await api('PUT', '/api/v1/tenants/acme', admin, { name: 'ACME Industries', email_domains: ['acme.example'] })).status, 200);
    const marc = await signIn('acme', 'marc@acme.example');
    assert.equal(marc.location, `${base}/#/contracts`);
    const me = JSON.parse((await http('GET', `${base}/api/v1/me`, { jar: marc.jar })).text);
    assert.deepEqual([me.name, me.tenant, me.tenant_role], ['Marc Blanc', 'acme', 'viewer']);
    const eve = await signIn('acme', 'eve@acme.example');
    assert.equal(eve.location, `${base}/#/no-access`, 'email_verified: false attaches nobody');
    // Another tenant's domain is not reachable through ACME's own provider (tenant = "acme").
    assert.equal((await api('PUT', '/api/v1/tenants/globex', admin, { name: 'Globex', email_domains: ['nowhere.example'] })).status, 201);
    assert.equal((await signIn('acme', 'zoe@nowhere.example')).location, `${base}/#/no-access`);
    assert.equal((await api('PUT', '/api/v1/tenants/acme', admin, { name: 'ACME Industries', email_domains: [] })).status, 200);
    const again = await signIn('acme', 'marc@acme.example');
    assert.equal(again.location, `${base}/#/no-access`);
    assert.equal((await http('GET', `${base}/api/v1/me`, { jar: marc.jar })).status, 401, 'his earlier session ends too');
  });
  await check('an admin lists people, sets a role the next sign-in keeps, hands it back, disables (sessions end at once), never herself', async () => {
    const users = JSON.parse((await http('GET', `${base}/api/v1/users`, { jar: alice.jar })).text);
    const by = Object.fromEntries(users.map(u => [u.email, u]));
    assert.deepEqual([by['jeanne@acme.example'].role, by['jeanne@acme.example'].tenant_role, by['jeanne@acme.example'].assigned_by],
      ['tenant', 'approver', 'sign-in']);
    assert.deepEqual([by['ines@acme.example'].tenant_role, by['ines@acme.example'].assigned_by], ['responder', 'invitation']);
    assert.deepEqual([by['zoe@nowhere.example'].role, by['marc@acme.example'].role], [null, null]);
    assert.equal(by['jeanne@acme.example'].issuer, op.issuer);
    assert.equal((await http('GET', `${base}/api/v1/users`, { jar: jeanne.jar })).status, 403);
    const paulId = by['paul@acme.example'].id;
    let paul = await signIn('acme', 'paul@acme.example');
    let r = await portal(alice.jar, 'PATCH', `/api/v1/users/${paulId}`, { tenant_role: 'responder' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([JSON.parse(r.text).tenant_role, JSON.parse(r.text).assigned_by], ['responder', 'admin']);
    assert.equal((await http('GET', `${base}/api/v1/me`, { jar: paul.jar })).status, 401, 'a changed role signs him out');
    paul = await signIn('acme', 'paul@acme.example');
    assert.equal(JSON.parse((await http('GET', `${base}/api/v1/me`, { jar: paul.jar })).text).tenant_role, 'responder');
    r = await portal(alice.jar, 'PATCH', `/api/v1/users/${paulId}`, { assigned_by: 'sign-in' });
    assert.equal(r.status, 200, r.text);
    paul = await signIn('acme', 'paul@acme.example');
    assert.equal(JSON.parse((await http('GET', `${base}/api/v1/me`, { jar: paul.jar })).text).tenant_role, 'viewer');
    r = await portal(alice.jar, 'PATCH', `/api/v1/users/${paulId}`, { disabled: true });
    assert.equal(r.status, 200, r.text);
    assert.equal((await http('GET', `${base}/api/v1/me`, { jar: paul.jar })).status, 401);
    assert.equal((await signIn('acme', 'paul@acme.example')).location, `${base}/#/no-access`);
    r = await portal(alice.jar, 'PATCH', `/api/v1/users/${paulId}`, { disabled: false });
    assert.equal(r.status, 200, r.text);
    assert.equal((await signIn('acme', 'paul@acme.example')).location, `${base}/#/contracts`);
    // Bad changes say why.
    r = await portal(alice.jar, 'PATCH', `/api/v1/users/${paulId}`, { role: 'ingest' });
    assert.equal(r.status, 400, r.text);
    r = await portal(alice.jar, 'PATCH', `/api/v1/users/${paulId}`, { tenant: 'nope' });
    assert.equal(r.status, 404, r.text);
    const aliceId = by['alice@cloudtemple.example'].id;
    r = await portal(alice.jar, 'PATCH', `/api/v1/users/${aliceId}`, { disabled: true });
    assert.equal(r.status, 409, r.text);
    assert.match(JSON.parse(r.text).error.message, /^you cannot disable yourself/);
    const audit = JSON.parse((await http('GET', `${base}/api/v1/audit?tenant=acme`, { jar: alice.jar })).text)
      .filter(e => e.action === 'user.update').map(e => [e.by, e.target]).reverse();
    assert.deepEqual(audit, [
      ['Alice Martin', 'Paul Durand <paul@acme.example>: viewer of acme -> responder of acme, assigned by admin'],
      ['Alice Martin', 'Paul Durand <paul@acme.example>: assigned by sign-in'],
      ['Alice Martin', 'Paul Durand <paul@acme.example>: disabled'],
      ['Alice Martin', 'Paul Durand <paul@acme.example>: enabled']]);
  });
  await check('after the provider rotates its key, sign-in still works (the new key fetched)', async () => {
    const r = await http('POST', `${op.rotate}?retire=1`);
    assert.equal(r.status, 200, r.text);
    const again = await signIn('acme', 'jeanne@acme.example');
    assert.equal(again.location, `${base}/#/contracts`);
    assert.ok(again.jar.get(base, 'racine_session'));
  });
  await check('a session survives a restart of racine (kept in the store)', async () => {
    await stop(server);
    server = await start();
    const r = await http('GET', `${base}/api/v1/me`, { jar: alice.jar });
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.text).name, 'Alice Martin');
  });
  await check('sign-out ends the session here and sends the browser to the provider\'s logout', async () => {
    const r = await portal(alice.jar, 'POST', '/auth/logout');
    assert.equal(r.status, 200, r.text);
    const to = new URL(JSON.parse(r.text).redirect);
    assert.equal(`${to.origin}${to.pathname}`, `${op.issuer}/session/end`);
    assert.equal(to.searchParams.get('post_logout_redirect_uri'), `${base}/`);
    assert.ok(to.searchParams.get('id_token_hint'));
    assert.equal(alice.jar.get(base, 'racine_session'), undefined);
    assert.match(r.headers['set-cookie'][0], /^racine_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
  });
  await check('a session made by one instance is honoured by another on the same PostgreSQL', async () => {
    if (!pgBase) { console.log('    (no private PostgreSQL server: not checked)'); return; }
    const db = `signin_${process.pid}`;
    const made = spawnSync('psql', [pgBase, '-qc', `CREATE DATABASE ${db}`], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const at = pgBase.indexOf('/racine?');
    const url = pgBase.slice(0, at) + '/' + db + pgBase.slice(at + 7);
    const [a, b] = [await serveRacine(racine, pgPorts[0], work, config, url),
      await serveRacine(racine, pgPorts[1], work, config, url)];
    try {
      const baseA = `http://127.0.0.1:${pgPorts[0]}`;
      const baseB = `http://127.0.0.1:${pgPorts[1]}`;
      const adminA = readFileSync(resolve(work, `admin-token-${pgPorts[0]}`), 'utf8').trim();
      const t = await http('PUT', `${baseA}/api/v1/tenants/acme`, {
        headers: { Authorization: `Bearer ${adminA}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'ACME Industries' }) });
      assert.equal(t.status, 201, t.text);
      const jeanneA = await signIn('acme', 'jeanne@acme.example', { at: baseA });
      const cookie = jeanneA.jar.get(baseA, 'racine_session');
      assert.ok(cookie);
      const onB = await http('GET', `${baseB}/api/v1/me`, { headers: { Cookie: `racine_session=${cookie}` } });
      assert.equal(onB.status, 200, onB.text);
      assert.equal(JSON.parse(onB.text).name, 'Jeanne Martin');
    } finally {
      await stopRacine(a);
      await stopRacine(b);
    }
  });
  await check('anonymous sign-in starts are limited per address (429 past a burst of 20)', async () => {
    const statuses = [];
    for (let i = 0; i < 40; i++) statuses.push((await http('GET', `${base}/auth/login?issuer=acme`)).status);
    assert.ok(statuses.filter(s => s === 429).length >= 10, statuses.join(' '));
    assert.ok(statuses.slice(0, 5).every(s => s === 302 || s === 429), statuses.join(' '));
  });
} catch (e) {
  fail('setting up', e);
} finally {
  if (server) await stop(server);
  stopProvider(src, opDir);
}
done('oidc signin');
