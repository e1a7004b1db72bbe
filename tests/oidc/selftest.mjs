// The tests' OpenID Provider (tests/oidc/op.mjs, op.sh) checked as a relying party will
// use it, with nothing but HTTP: op.sh's start, stop and missing-package messages;
// discovery and JWKS; the authorization code flow with PKCE as a plain HTTP client (GET
// the authorization endpoint, follow to the login page, post the form, follow the
// redirects to the redirect URI, whose Location carries the code; no server listens
// there), the token endpoint with the code_verifier (client_secret_basic and
// client_secret_post), the ID token's signature checked against the JWKS with jose (the
// one oidc-provider depends on) and its claims for each of the eight test users; what the
// OP refuses (no PKCE, plain PKCE, a wrong verifier, a replayed code, a wrong secret, an
// unregistered redirect URI); userinfo; single sign-on; cancel; RP-initiated logout; key
// rotation (a new kid signs, the JWKS serves it, a JWKS fetched before does not know
// it); a short ID token lifetime; and that a provider whose parent dies exits.
// Usage: node selftest.mjs SOURCE_DIR WORK_DIR
// Without node's oidc-provider in .cache it fails under CI=true and is skipped (exit 77)
// elsewhere, as tests/prerequisites.sh does for the shell tests.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { Jar, checks, http, missing } from './harness.mjs';

const [srcArg, workArg] = process.argv.slice(2);
if (!srcArg || !workArg) {
  console.error('usage: node selftest.mjs SOURCE_DIR WORK_DIR');
  process.exit(2);
}
const src = resolve(srcArg);
const work = resolve(workArg, 'oidc-selftest');
if (!existsSync(resolve(src, '.cache/oidc-provider/node_modules/oidc-provider/package.json'))) {
  missing('oidc-provider is absent from .cache/oidc-provider: run make deps-test');
}
const jose = createRequire(resolve(src, '.cache/oidc-provider/package.json'))('jose');
const opSh = resolve(src, 'tests/oidc/op.sh');
const opMjs = resolve(src, 'tests/oidc/op.mjs');
const config = JSON.parse(readFileSync(resolve(src, 'tests/oidc/op-config.json'), 'utf8'));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// The relying party's addresses: registered at the OP, never listened on.
const rp = 'http://127.0.0.1:45678';
const redirectUri = `${rp}/auth/callback`;
const postLogoutUri = `${rp}/`;
const idTokenTtl = 300;
const scope = 'openid profile email groups organisation';

const { check, done } = checks();

const json = res => {
  assert.match(res.headers['content-type'] || '', /json/, `${res.status} ${res.text}`);
  return JSON.parse(res.text);
};
// Follows redirects like a browser until the URL is the relying party's (returned, not
// fetched) or a page answers.
const follow = async (jar, url) => {
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(rp)) return { callback: new URL(url) };
    const res = await http('GET', url, { jar });
    if (res.status < 300 || res.status > 399) return { page: res, url };
    url = res.location;
  }
  throw new Error('more than 10 redirects');
};
const b64url = buf => buf.toString('base64url');
const pkce = () => {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
};
const loginFields = html => {
  const action = /<form method="post" action="([^"]+\/login)">/.exec(html)?.[1];
  assert.ok(action, 'the login form posts to /interaction/UID/login');
  assert.match(html, /<input id="login" name="login" type="email"/);
  assert.match(html, /<input id="password" name="password" type="password"/);
  assert.match(html, /<button type="submit">Sign in<\/button>/);
  return action;
};

let op;          // the state file of the main provider
let discovery;
let jwks;
const authorizeUrl = (params = {}) => {
  const u = new URL(discovery.authorization_endpoint);
  for (const [k, v] of Object.entries({ client_id: 'racine', response_type: 'code', scope,
    redirect_uri: redirectUri, ...params })) {
    if (v !== undefined) u.searchParams.set(k, v);
  }
  return u.href;
};
// The whole sign-in as a browser without JavaScript would do it; returns the callback
// URL's parameters and what the token request needs.
const signIn = async (email, { jar = new Jar(), client = 'racine', password } = {}) => {
  const { verifier, challenge } = pkce();
  const state = b64url(randomBytes(12));
  const nonce = b64url(randomBytes(12));
  let r = await follow(jar, authorizeUrl({ client_id: client, state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256' }));
  if (r.page) {
    assert.equal(r.page.status, 200, r.page.text);
    const action = loginFields(r.page.text);
    const posted = await http('POST', new URL(action, op.issuer).href, { jar,
      form: { login: email, password: password ?? config.password } });
    assert.equal(posted.status, 303, posted.text);
    r = await follow(jar, posted.location);
  }
  assert.ok(r.callback, `ended on ${r.url}: ${r.page?.status} ${r.page?.text}`);
  return { params: r.callback.searchParams, callbackUrl: r.callback, verifier, state, nonce, jar };
};
const basic = (id, secret) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const token = (code, verifier, { client = 'racine', secret, post = false, omitVerifier = false } = {}) => {
  const c = op.clients.find(x => x.client_id === client);
  const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
  if (!omitVerifier) form.code_verifier = verifier;
  if (post) Object.assign(form, { client_id: client, client_secret: secret ?? c.client_secret });
  return http('POST', discovery.token_endpoint, { form,
    headers: post ? {} : { Authorization: basic(client, secret ?? c.client_secret) } });
};
// `at`: the time the token is checked at (now when not given).
const verifyIdToken = async (idToken, keys, audience = 'racine', at = undefined) =>
  jose.jwtVerify(idToken, jose.createLocalJWKSet(keys), { issuer: op.issuer, audience,
    algorithms: ['RS256'], ...(at ? { currentDate: at } : {}) });
const alive = pid => {
  try { process.kill(pid, 0); return true; } catch { return false; }
};
const sleep = ms => new Promise(ok => setTimeout(ok, ms));

const opDir = join(work, 'op');
try {
  await check('op.sh without oidc-provider: says what to install, writes no state, exits 0', () => {
    const r = spawnSync('bash', [opSh, 'start', join(work, 'absent')], { encoding: 'utf8',
      env: { ...process.env, CI: '', RACINE_OP_MODULES: join(work, 'nowhere') } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /oidc-provider is absent from .*nowhere: run make deps-test/);
    assert.ok(!existsSync(join(work, 'absent/op.json')));
  });
  await check('op.sh without oidc-provider under CI=true: fails', () => {
    const r = spawnSync('bash', [opSh, 'start', join(work, 'absent')], { encoding: 'utf8',
      env: { ...process.env, CI: 'true', RACINE_OP_MODULES: join(work, 'nowhere') } });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /run make deps-test[^]*error: CI=true and the OpenID Provider cannot start/);
  });

  await check('op.sh start: listening on 127.0.0.1, state file written', () => {
    const r = spawnSync('bash', [opSh, 'start', opDir, '--redirect-uri', redirectUri,
      '--post-logout-redirect-uri', postLogoutUri, '--id-token-ttl', String(idTokenTtl)],
    { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    op = JSON.parse(readFileSync(join(opDir, 'op.json'), 'utf8'));
    assert.equal(op.issuer, `http://127.0.0.1:${op.port}`);
    assert.match(r.stdout, new RegExp(`oidc provider started: ${op.issuer} \\(pid ${op.pid}`));
    assert.ok(alive(op.pid));
    assert.equal(op.rotate, `${op.issuer}/test/rotate`);
    const racine = op.clients.find(c => c.client_id === 'racine');
    assert.deepEqual(racine.redirect_uris, ['http://127.0.0.1:8080/auth/callback', redirectUri]);
    assert.deepEqual(racine.post_logout_redirect_uris, ['http://127.0.0.1:8080/', postLogoutUri]);
    assert.deepEqual(op.users.map(u => u.email), ['alice@cloudtemple.example', 'bob@cloudtemple.example',
      'jeanne@acme.example', 'paul@acme.example', 'zoe@nowhere.example', 'ines@acme.example',
      'marc@acme.example', 'eve@acme.example']);
  });
  if (!op) throw new Error('the provider did not start');

  await check('discovery document', async () => {
    const r = await http('GET', `${op.issuer}/.well-known/openid-configuration`);
    assert.equal(r.status, 200);
    discovery = json(r);
    assert.equal(discovery.issuer, op.issuer);
    for (const [k, path] of [['authorization_endpoint', '/auth'], ['token_endpoint', '/token'],
      ['jwks_uri', '/jwks'], ['userinfo_endpoint', '/me'], ['end_session_endpoint', '/session/end']]) {
      assert.equal(discovery[k], `${op.issuer}${path}`, k);
    }
    assert.deepEqual(discovery.response_types_supported, ['code']);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(discovery.token_endpoint_auth_methods_supported,
      ['client_secret_basic', 'client_secret_post']);
    assert.deepEqual(discovery.scopes_supported, ['openid', 'profile', 'email', 'groups', 'organisation']);
    for (const c of ['sub', 'name', 'email', 'email_verified', 'groups', 'organisation']) {
      assert.ok(discovery.claims_supported.includes(c), c);
    }
    assert.equal(discovery.authorization_response_iss_parameter_supported, true);
  });

  await check('JWKS: one public RS256 signing key with a kid', async () => {
    const r = await http('GET', discovery.jwks_uri);
    assert.equal(r.status, 200);
    jwks = json(r);
    assert.equal(jwks.keys.length, 1);
    const [k] = jwks.keys;
    assert.equal(k.kty, 'RSA');
    assert.equal(k.alg, 'RS256');
    assert.equal(k.use, 'sig');
    assert.match(k.kid, /^[A-Za-z0-9_-]{43}$/);
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.ok(!(secret in k), secret);
  });

  await check('PKCE is required: no code_challenge is refused at the redirect URI', async () => {
    const r = await http('GET', authorizeUrl({ state: 's1', nonce: 'n1' }));
    assert.equal(r.status, 303);
    const u = new URL(r.location);
    assert.equal(`${u.origin}${u.pathname}`, redirectUri);
    assert.equal(u.searchParams.get('error'), 'invalid_request');
    assert.equal(u.searchParams.get('error_description'),
      'Authorization Server policy requires PKCE to be used for this request');
    assert.equal(u.searchParams.get('state'), 's1');
  });
  await check('PKCE method plain is refused', async () => {
    const r = await http('GET', authorizeUrl({ state: 's2', nonce: 'n2', code_challenge: 'x'.repeat(43),
      code_challenge_method: 'plain' }));
    assert.equal(r.status, 303);
    assert.equal(new URL(r.location).searchParams.get('error'), 'invalid_request');
  });
  await check('an unregistered redirect URI gets an error page, never a redirect', async () => {
    const r = await http('GET', authorizeUrl({ redirect_uri: 'http://127.0.0.1:45679/auth/callback',
      code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 's', nonce: 'n' }));
    assert.equal(r.status, 400);
    assert.equal(r.location, undefined);
    assert.match(r.text, /<p id="error">invalid_redirect_uri<\/p>/);
    assert.match(r.text, /redirect_uri did not match any of the client&#39;s registered redirect_uris/);
  });

  await check('login page: fields login and password, button "Sign in"; a wrong password answers 401', async () => {
    const jar = new Jar();
    const { challenge } = pkce();
    const r = await follow(jar, authorizeUrl({ state: 's', nonce: 'n', code_challenge: challenge,
      code_challenge_method: 'S256' }));
    assert.equal(r.page.status, 200);
    assert.match(r.url, new RegExp(`^${op.issuer}/interaction/[A-Za-z0-9_-]+$`));
    assert.match(r.page.headers['content-type'], /^text\/html/);
    assert.match(r.page.text, /<title>Sign in to racine<\/title>/);
    const action = loginFields(r.page.text);
    const wrong = await http('POST', new URL(action, op.issuer).href, { jar,
      form: { login: 'jeanne@acme.example', password: 'not-the-password' } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /Wrong email or password\./);
    assert.match(wrong.text, /value="jeanne@acme\.example"/);
    loginFields(wrong.text);
    const unknown = await http('POST', new URL(action, op.issuer).href, { jar,
      form: { login: 'nobody@acme.example', password: config.password } });
    assert.equal(unknown.status, 401);
  });

  let jeanne;
  let jeanneTokens;
  let jeanneIdToken;
  await check('authorization code + PKCE as a plain HTTP client: the code at the redirect URI', async () => {
    jeanne = await signIn('jeanne@acme.example');
    assert.equal(`${jeanne.callbackUrl.origin}${jeanne.callbackUrl.pathname}`, redirectUri);
    assert.equal(jeanne.params.get('state'), jeanne.state);
    assert.equal(jeanne.params.get('iss'), op.issuer);
    assert.match(jeanne.params.get('code'), /^[A-Za-z0-9_-]{20,}$/);
  });
  await check('token endpoint (client_secret_basic, code_verifier): ID and access tokens', async () => {
    const r = await token(jeanne.params.get('code'), jeanne.verifier);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['cache-control'], 'no-store');
    jeanneTokens = json(r);
    assert.equal(jeanneTokens.token_type, 'Bearer');
    assert.ok(jeanneTokens.access_token);
    assert.equal(jeanneTokens.refresh_token, undefined);
    assert.equal(jeanneTokens.scope, scope);
    jeanneIdToken = jeanneTokens.id_token;
  });
  await check('ID token: RS256 signature checked against the JWKS; iss, aud, nonce, claims', async () => {
    const { payload, protectedHeader } = await verifyIdToken(jeanneIdToken, jwks);
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(protectedHeader.kid, jwks.keys[0].kid);
    assert.equal(payload.iss, op.issuer);
    assert.equal(payload.aud, 'racine');
    assert.equal(payload.nonce, jeanne.nonce);
    assert.equal(payload.sub, '2d8f4c60-7f3e-4165-9c79-5ea03b2c9d03');
    assert.equal(payload.name, 'Jeanne Martin');
    assert.equal(payload.given_name, 'Jeanne');
    assert.equal(payload.family_name, 'Martin');
    assert.equal(payload.email, 'jeanne@acme.example');
    assert.equal(payload.email_verified, true);
    assert.deepEqual(payload.groups, ['acme-approvers']);
    assert.equal(payload.organisation, 'ACME');
    assert.equal(payload.exp - payload.iat, idTokenTtl);
    assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 60);
    assert.match(payload.at_hash, /^[A-Za-z0-9_-]{22}$/);
  });
  await check('a changed byte of the ID token fails the signature', async () => {
    const [h, p, s] = jeanneIdToken.split('.');
    const bad = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
    await assert.rejects(verifyIdToken(bad, jwks), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });
  await check('userinfo with the access token', async () => {
    const r = await http('GET', discovery.userinfo_endpoint,
      { headers: { Authorization: `Bearer ${jeanneTokens.access_token}` } });
    assert.equal(r.status, 200, r.text);
    const info = json(r);
    assert.equal(info.sub, '2d8f4c60-7f3e-4165-9c79-5ea03b2c9d03');
    assert.deepEqual(info.groups, ['acme-approvers']);
    assert.equal(info.email, 'jeanne@acme.example');
  });

  await check('the code cannot be redeemed twice; the replay revokes the tokens it gave', async () => {
    const r = await token(jeanne.params.get('code'), jeanne.verifier);
    assert.equal(r.status, 400);
    assert.equal(json(r).error, 'invalid_grant');
    const info = await http('GET', discovery.userinfo_endpoint,
      { headers: { Authorization: `Bearer ${jeanneTokens.access_token}` } });
    assert.equal(info.status, 401);
    assert.equal(json(info).error, 'invalid_token');
  });
  await check('single sign-on: the session cookie skips the login page', async () => {
    const again = await signIn('unused', { jar: jeanne.jar });
    const r = await token(again.params.get('code'), again.verifier);
    assert.equal(r.status, 200, r.text);
    const { payload } = await verifyIdToken(json(r).id_token, jwks);
    assert.equal(payload.email, 'jeanne@acme.example');
    assert.equal(payload.nonce, again.nonce);
  });
  await check('a wrong code_verifier and a missing one are refused', async () => {
    const a = await signIn('unused', { jar: jeanne.jar });
    const wrong = await token(a.params.get('code'), pkce().verifier);
    assert.equal(wrong.status, 400);
    assert.deepEqual(json(wrong), { error: 'invalid_grant', error_description: 'grant request is invalid' });
    const b = await signIn('unused', { jar: jeanne.jar });
    const none = await token(b.params.get('code'), b.verifier, { omitVerifier: true });
    assert.equal(none.status, 400);
    assert.equal(json(none).error, 'invalid_grant');
  });
  await check('a wrong client secret answers invalid_client; client_secret_post works as well as basic', async () => {
    const a = await signIn('unused', { jar: jeanne.jar });
    const wrong = await token(a.params.get('code'), a.verifier, { secret: 'not-the-secret' });
    assert.equal(wrong.status, 401);
    assert.equal(json(wrong).error, 'invalid_client');
    const wrongPost = await token(a.params.get('code'), a.verifier, { secret: 'not-the-secret', post: true });
    assert.equal(wrongPost.status, 401);
    assert.equal(json(wrongPost).error, 'invalid_client');
    const post = await token(a.params.get('code'), a.verifier, { post: true });
    assert.equal(post.status, 200, post.text);
    const { payload } = await verifyIdToken(json(post).id_token, jwks);
    assert.equal(payload.nonce, a.nonce);
  });
  await check('client other-app: an ID token for another audience, refused as racine\'s', async () => {
    const a = await signIn('unused', { jar: jeanne.jar, client: 'other-app' });
    const r = await token(a.params.get('code'), a.verifier, { client: 'other-app' });
    assert.equal(r.status, 200, r.text);
    const idToken = json(r).id_token;
    assert.equal((await verifyIdToken(idToken, jwks, 'other-app')).payload.aud, 'other-app');
    await assert.rejects(verifyIdToken(idToken, jwks, 'racine'), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
  });

  for (const u of config.users) {
    await check(`sign-in as ${u.email}: sub, name, email, groups`, async () => {
      const s = await signIn(u.email);
      const r = await token(s.params.get('code'), s.verifier);
      assert.equal(r.status, 200, r.text);
      const { payload } = await verifyIdToken(json(r).id_token, jwks);
      assert.equal(payload.sub, u.sub);
      assert.equal(payload.name, u.name);
      assert.equal(payload.email, u.email);
      assert.deepEqual(payload.groups, u.groups);
      assert.equal(payload.organisation, u.organisation);
    });
  }

  await check('Cancel on the login page: access_denied at the redirect URI', async () => {
    const jar = new Jar();
    const { challenge } = pkce();
    const r = await follow(jar, authorizeUrl({ state: 'c1', nonce: 'n', code_challenge: challenge,
      code_challenge_method: 'S256' }));
    const abort = /<form method="post" action="([^"]+\/abort)">/.exec(r.page.text)[1];
    const posted = await http('POST', new URL(abort, op.issuer).href, { jar, form: {} });
    assert.equal(posted.status, 303);
    const end = await follow(jar, posted.location);
    assert.equal(end.callback.searchParams.get('error'), 'access_denied');
    assert.equal(end.callback.searchParams.get('state'), 'c1');
  });

  await check('RP-initiated logout: a "Sign out" form, then the post-logout redirect URI; the session is over', async () => {
    const u = new URL(discovery.end_session_endpoint);
    u.searchParams.set('id_token_hint', jeanneIdToken);
    u.searchParams.set('post_logout_redirect_uri', postLogoutUri);
    u.searchParams.set('state', 'bye');
    const page = await http('GET', u.href, { jar: jeanne.jar });
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out<\/button>/);
    const action = /id="op.logoutForm" method="post" action="([^"]+)"/.exec(page.text)[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.text)[1];
    const r = await http('POST', new URL(action, op.issuer).href, { jar: jeanne.jar,
      form: { xsrf, logout: 'yes' } });
    assert.equal(r.status, 303, r.text);
    assert.equal(r.location, `${postLogoutUri}?state=bye`);
    const next = await follow(jeanne.jar, authorizeUrl({ state: 's', nonce: 'n',
      code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    assert.equal(next.page?.status, 200, 'the login page again');
    loginFields(next.page.text);
  });
  await check('a post-logout redirect URI not registered is refused', async () => {
    const u = new URL(discovery.end_session_endpoint);
    u.searchParams.set('client_id', 'racine');
    u.searchParams.set('post_logout_redirect_uri', 'http://127.0.0.1:45679/');
    const r = await http('GET', u.href);
    assert.equal(r.status, 400);
    assert.match(r.text, /post_logout_redirect_uri not registered/);
  });

  let rotated;
  const before = { jar: new Jar() };
  await check('key rotation: POST /test/rotate signs with a new kid, the JWKS serves both', async () => {
    const s = await signIn('alice@cloudtemple.example', { jar: before.jar });
    before.idToken = json(await token(s.params.get('code'), s.verifier)).id_token;
    assert.equal((await http('GET', op.rotate)).status, 405);
    const r = await http('POST', op.rotate);
    assert.equal(r.status, 200, r.text);
    rotated = json(r);
    assert.notEqual(rotated.kid, jwks.keys[0].kid);
    assert.deepEqual(rotated.kids, [rotated.kid, jwks.keys[0].kid]);
    const now = json(await http('GET', discovery.jwks_uri));
    assert.deepEqual(now.keys.map(k => k.kid), rotated.kids);
  });
  await check('after the rotation: the new kid signs; a JWKS fetched before lacks it, a refetched one verifies; sessions kept', async () => {
    const s = await signIn('unused', { jar: before.jar });  // the session from before the rotation
    const idToken = json(await token(s.params.get('code'), s.verifier)).id_token;
    assert.equal(jose.decodeProtectedHeader(idToken).kid, rotated.kid);
    await assert.rejects(verifyIdToken(idToken, jwks), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    const fresh = json(await http('GET', discovery.jwks_uri));
    const { payload } = await verifyIdToken(idToken, fresh);
    assert.equal(payload.email, 'alice@cloudtemple.example');
    assert.deepEqual(payload.groups, ['racine-admins']);
    // The token signed before the rotation still verifies while its key is served.
    await verifyIdToken(before.idToken, fresh);
  });
  await check('rotation with ?retire=1: the JWKS serves the newest key alone', async () => {
    const r = json(await http('POST', `${op.rotate}?retire=1`));
    assert.deepEqual(r.kids, [r.kid]);
    const now = json(await http('GET', discovery.jwks_uri));
    assert.deepEqual(now.keys.map(k => k.kid), [r.kid]);
    await assert.rejects(verifyIdToken(before.idToken, now), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  await check('op.mjs alone: --id-token-ttl 1, then it exits when its parent dies', async () => {
    const state = join(work, 'short.json');
    const logFd = openSync(join(work, 'short.log'), 'w');
    const parent = spawn('bash', ['-c', 'node "$0" --state "$1" --redirect-uri "$2" --id-token-ttl 1 & wait',
      opMjs, state, redirectUri], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    for (let i = 0; i < 100 && !existsSync(state); i++) await sleep(100);
    const short = JSON.parse(readFileSync(state, 'utf8'));
    assert.notEqual(short.port, op.port);
    const main = { op, discovery };
    op = short;
    discovery = json(await http('GET', `${short.issuer}/.well-known/openid-configuration`));
    try {
      const s = await signIn('paul@acme.example');
      const idToken = json(await token(s.params.get('code'), s.verifier)).id_token;
      const keys = json(await http('GET', discovery.jwks_uri));
      // Checked at the time it was issued, then 2 s later: on a busy machine a second can
      // pass between the two requests, and checking it "now" then failed as expired.
      const issued = new Date(jose.decodeJwt(idToken).iat * 1000);
      const { payload } = await verifyIdToken(idToken, keys, 'racine', issued);
      assert.equal(payload.exp - payload.iat, 1);
      assert.equal(payload.name, 'Paul Durand');
      await assert.rejects(verifyIdToken(idToken, keys, 'racine', new Date(issued.getTime() + 2000)),
        { code: 'ERR_JWT_EXPIRED' });
      await sleep(Math.max(0, issued.getTime() + 2100 - Date.now()));
      await assert.rejects(verifyIdToken(idToken, keys), { code: 'ERR_JWT_EXPIRED' });
    } finally {
      ({ op, discovery } = main);
      parent.kill('SIGKILL');
    }
    for (let i = 0; i < 50 && alive(short.pid); i++) await sleep(100);
    assert.ok(!alive(short.pid), 'the provider outlived its parent');
    assert.ok(!existsSync(state), 'its state file is removed');
    assert.match(readFileSync(join(work, 'short.log'), 'utf8'), /oidc op: stopping: process \d+ is gone/);
  });
} finally {
  if (op) {
    await check('op.sh stop: the provider is gone, its state removed', () => {
      const r = spawnSync('bash', [opSh, 'stop', opDir], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(!alive(op.pid));
      assert.ok(!existsSync(join(opDir, 'op.json')));
    });
  }
}
done('oidc selftest');
