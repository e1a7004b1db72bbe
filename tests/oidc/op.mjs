// A real OpenID Provider for the tests: panva's certified oidc-provider (npm, pinned by
// tests/npm/oidc-provider/package-lock.json, installed into .cache/oidc-provider by
// `make deps-test`), started privately on 127.0.0.1 like the tests' PostgreSQL. Never a
// mock: discovery, JWKS, authorization code + PKCE, the token and userinfo endpoints,
// RP-initiated logout and the cookies are oidc-provider's own; this file only supplies
// the configuration, the accounts, a login page and a key rotation hook.
//
// Usage: node op.mjs --state FILE [--config FILE] [--port N] [--redirect-uri URI]...
//                    [--post-logout-redirect-uri URI]... [--id-token-ttl SECONDS]
//                    [--watch-pid PID]
//   --state FILE   written (atomically) once listening, removed on exit:
//                  {"issuer": "http://127.0.0.1:PORT", "port": PORT, "pid": PID,
//                   "rotate": ISSUER/test/rotate, "clients": [...], "users": [...]}
//                  (clients with their secrets and effective redirect URIs; users with
//                  email, password, sub, name and groups)
//   --config FILE  clients, users, TTLs (default: op-config.json beside this file: the
//                  confidential clients `racine` and `other-app`, the latter for tokens
//                  meant for another audience; eight users in three organisations)
//   --port N       0 or absent: a free port of the system's choosing
//   --redirect-uri, --post-logout-redirect-uri   added to every client of the config
//   --id-token-ttl ID tokens' lifetime in seconds (expiry tests), over the config's
//   --watch-pid    exits when that process is gone; default: the parent process (the
//                  test that started it), so a crashed test leaves no provider behind;
//                  0: never
// Stops on SIGTERM or SIGINT too.
//
// Sign-in: GET /interaction/UID shows a form (fields `login` = the email, `password` =
// the config's "password", "secret" by default; button "Sign in"), posted to
// /interaction/UID/login; a wrong pair answers 401 with the form again; its "Cancel"
// button posts to /interaction/UID/abort (access_denied at the redirect URI). Consent is
// granted automatically for every configured client (they are all first-party test RPs).
// Clients: authorization code only, PKCE S256 required, RS256 ID tokens; the token
// endpoint takes the secret by client_secret_basic or client_secret_post (oidc-provider 8
// accepts either for a client registered with one of them).
// Claims by scope, all in the ID token too (conformIdTokenClaims off): openid: sub;
// profile: name, given_name, family_name; email: email, email_verified; groups: groups;
// organisation: organisation.
//
// Key rotation (loopback only): POST /test/rotate makes a new RSA key (kid = its RFC 7638
// thumbprint) that signs from then on; the JWKS serves it first and the previous one
// after it, or it alone with ?retire=1. Answers {"kid": NEW, "kids": [JWKS's kids]}.
// Sessions, codes and grants live in oidc-provider's memory adapter: they survive a
// rotation, not a restart of the provider.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const modules = process.env.RACINE_OP_MODULES || resolve(root, '.cache/oidc-provider/node_modules');

const usage = msg => {
  console.error(`op.mjs: ${msg}\nusage: node op.mjs --state FILE [--config FILE] [--port N] ` +
    '[--redirect-uri URI]... [--post-logout-redirect-uri URI]... [--id-token-ttl S] [--watch-pid PID]');
  process.exit(2);
};
const opts = { config: resolve(here, 'op-config.json'), port: 0, redirect: [], postLogout: [],
  watchPid: process.ppid };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++i];
  };
  const integer = (v, what) => {
    if (!/^\d+$/.test(v)) usage(`${what} must be a non-negative integer, not '${v}'`);
    return Number(v);
  };
  switch (a) {
    case '--state': opts.state = resolve(value()); break;
    case '--config': opts.config = resolve(value()); break;
    case '--port': opts.port = integer(value(), '--port'); break;
    case '--redirect-uri': opts.redirect.push(value()); break;
    case '--post-logout-redirect-uri': opts.postLogout.push(value()); break;
    case '--id-token-ttl': opts.idTokenTtl = integer(value(), '--id-token-ttl'); break;
    case '--watch-pid': opts.watchPid = integer(value(), '--watch-pid'); break;
    default: usage(`unknown argument '${a}'`);
  }
}
if (!opts.state) usage('--state FILE is required');

let Provider;
try {
  const require = createRequire(resolve(modules, '..', 'package.json'));
  ({ default: Provider } = await import(pathToFileURL(require.resolve('oidc-provider')).href));
} catch (e) {
  console.error(`op.mjs: oidc-provider is absent from ${modules}: run make deps-test ` +
    `(scripts/deps.sh test installs tests/npm/oidc-provider into .cache/oidc-provider) (${e.message})`);
  process.exit(3);
}

const config = JSON.parse(readFileSync(opts.config, 'utf8'));
const clients = config.clients.map(c => ({
  grant_types: ['authorization_code'],
  response_types: ['code'],
  id_token_signed_response_alg: 'RS256',
  ...c,
  redirect_uris: [...new Set([...(c.redirect_uris || []), ...opts.redirect])],
  post_logout_redirect_uris: [...new Set([...(c.post_logout_redirect_uris || []), ...opts.postLogout])],
}));
const defaultPassword = config.password ?? 'secret';
const users = config.users.map(u => ({ password: defaultPassword, ...u }));
const bySub = new Map(users.map(u => [u.sub, u]));
const byEmail = new Map(users.map(u => [u.email.toLowerCase(), u]));
const ttl = { ...config.ttl };
if (opts.idTokenTtl !== undefined) ttl.IdToken = opts.idTokenTtl;

const log = (...words) => console.error('oidc op:', ...words);
const escape = s => String(s).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<main>
<h1>${escape(title)}</h1>
${body}
</main>
</body>
</html>
`;

// Signing keys, newest first: the first RS256 key signs (oidc-provider takes the first
// that fits), every one is served by the JWKS.
const newKey = () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
  return { ...jwk, kid: thumbprint, use: 'sig', alg: 'RS256' };
};
let keys = [newKey()];
// One set of cookie keys for the process, so that a provider rebuilt by a rotation reads
// the cookies the previous one set (its sessions and interactions live in oidc-provider's
// memory adapter, which is shared by every instance of the process).
const cookieKeys = [randomBytes(32).toString('base64url')];

const findUser = sub => bySub.get(sub);
const claimsOf = u => {
  const { password, ...claims } = u;  // eslint-disable-line no-unused-vars
  return claims;
};
const configuration = () => ({
  clients,
  jwks: { keys },
  cookies: {
    keys: cookieKeys,
    // Lax for both: a SameSite=None cookie must be Secure, which chromium enforces, and
    // this provider is plain HTTP on 127.0.0.1.
    long: { httpOnly: true, sameSite: 'lax' },
    short: { httpOnly: true, sameSite: 'lax' },
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
    organisation: ['organisation'],
  },
  conformIdTokenClaims: false,
  scopes: ['openid'],  // and the claims' scopes above
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  findAccount: async (ctx, sub) => {
    const u = findUser(sub);
    if (!u) return undefined;
    return { accountId: sub, claims: async () => claimsOf(u) };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.type = 'html';
        ctx.body = page('Sign out', `${form}
<p>Sign out of the OpenID Provider at ${escape(ctx.host)}?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`);
      },
      postLogoutSuccessSource: async ctx => {
        ctx.type = 'html';
        ctx.body = page('Signed out', '<p>You are signed out.</p>');
      },
    },
  },
  pkce: { methods: ['S256'], required: () => true },
  responseTypes: ['code'],
  allowOmittingSingleRegisteredRedirectUri: false,
  ttl,
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Error', `<p id="error">${escape(out.error)}</p>` +
      `<p id="error_description">${escape(out.error_description || '')}</p>`);
  },
});

// Listen first: the issuer names the port.
const server = createServer();
await new Promise((ok, fail) => {
  server.once('error', fail);
  server.listen(opts.port, '127.0.0.1', ok);
}).catch(e => {
  console.error(`op.mjs: cannot listen on 127.0.0.1:${opts.port}: ${e.code || e.message}`);
  process.exit(1);
});
const port = server.address().port;
const issuer = `http://127.0.0.1:${port}`;

let provider;
const build = () => {
  const p = new Provider(issuer, configuration());
  for (const event of ['server_error', 'authorization.error', 'grant.error', 'end_session.error',
    'userinfo.error', 'jwks.error', 'discovery.error', 'introspection.error']) {
    p.on(event, (ctx, err) => log(`${event}: ${err.error || err.name}: ${err.error_description || err.message}`));
  }
  const handler = p.callback();
  return { p, handler };
};
let current = build();
provider = current.p;

const body = req => new Promise((ok, fail) => {
  const chunks = [];
  let size = 0;
  req.on('data', c => {
    size += c.length;
    if (size > 65536) { fail(new Error('body too large')); req.destroy(); } else chunks.push(c);
  });
  req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
  req.on('error', fail);
});
const send = (res, status, type, text, headers = {}) => {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(text);
};
const loginForm = (uid, client, { email = '', error } = {}) => page(`Sign in to ${client}`, `${
  error ? `<p role="alert" id="error">${escape(error)}</p>\n` : ''}<form method="post" action="/interaction/${escape(uid)}/login">
<p><label for="login">Email</label> <input id="login" name="login" type="email" autocomplete="username" value="${escape(email)}" required autofocus></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort">
<p><button type="submit">Cancel</button></p>
</form>`);

// Consent, granted at once: every scope and claim the request asks for.
const grantConsent = async (req, res, details) => {
  const { prompt: { details: missing }, params, session: { accountId }, grantId } = details;
  const grant = grantId ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } },
    { mergeWithLastSubmission: true });
};

const interaction = async (req, res, uid, action) => {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (e) {
    send(res, 400, 'text/html; charset=utf-8', page('Error', `<p id="error">${escape(e.message)}</p>`));
    return;
  }
  if (details.uid !== uid) {
    send(res, 400, 'text/html; charset=utf-8', page('Error', '<p id="error">interaction mismatch</p>'));
    return;
  }
  const client = await provider.Client.find(details.params.client_id);
  const clientName = client?.clientName || details.params.client_id;
  if (req.method === 'GET' && !action) {
    if (details.prompt.name === 'login') {
      send(res, 200, 'text/html; charset=utf-8', loginForm(uid, clientName,
        { email: details.params.login_hint || '' }));
    } else if (details.prompt.name === 'consent') {
      await grantConsent(req, res, details);
    } else {
      send(res, 400, 'text/html; charset=utf-8', page('Error', `<p id="error">unknown prompt ${escape(details.prompt.name)}</p>`));
    }
    return;
  }
  if (req.method === 'POST' && action === 'login' && details.prompt.name === 'login') {
    const form = new URLSearchParams(await body(req));
    const email = (form.get('login') || '').trim();
    const u = byEmail.get(email.toLowerCase());
    if (!u || form.get('password') !== u.password) {
      send(res, 401, 'text/html; charset=utf-8', loginForm(uid, clientName,
        { email, error: 'Wrong email or password.' }));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: u.sub } },
      { mergeWithLastSubmission: false });
    return;
  }
  if (req.method === 'POST' && action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return;
  }
  send(res, 405, 'text/plain', 'method not allowed\n');
};

const loopback = addr => addr === '::1' || /^(::ffff:)?127\./.test(addr || '');
const rotate = (req, res, url) => {
  if (!loopback(req.socket.remoteAddress)) { send(res, 403, 'text/plain', 'loopback only\n'); return; }
  if (req.method !== 'POST') { send(res, 405, 'text/plain', 'POST only\n', { Allow: 'POST' }); return; }
  const key = newKey();
  keys = url.searchParams.get('retire') === '1' ? [key] : [key, keys[0]];
  current = build();
  provider = current.p;
  log(`rotated: signing with ${key.kid}, JWKS ${keys.map(k => k.kid).join(', ')}`);
  send(res, 200, 'application/json', `${JSON.stringify({ kid: key.kid, kids: keys.map(k => k.kid) })}\n`);
};

server.on('request', (req, res) => {
  const url = new URL(req.url, issuer);
  const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/.exec(url.pathname);
  const fail = e => {
    log(`${req.method} ${url.pathname}: ${e.stack || e}`);
    if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
    else res.destroy();
  };
  if (m) interaction(req, res, m[1], m[2]).catch(fail);
  else if (url.pathname === '/test/rotate') { try { rotate(req, res, url); } catch (e) { fail(e); } }
  else current.handler(req, res);
});

const stateText = JSON.stringify({
  issuer, port, pid: process.pid, rotate: `${issuer}/test/rotate`,
  clients: clients.map(c => ({
    client_id: c.client_id, client_secret: c.client_secret,
    token_endpoint_auth_method: c.token_endpoint_auth_method,
    redirect_uris: c.redirect_uris, post_logout_redirect_uris: c.post_logout_redirect_uris,
  })),
  users: users.map(u => ({ email: u.email, password: u.password, sub: u.sub, name: u.name, groups: u.groups })),
}, null, 2);
writeFileSync(`${opts.state}.tmp`, `${stateText}\n`);
renameSync(`${opts.state}.tmp`, opts.state);
console.log(`oidc op: ${issuer} (pid ${process.pid}, state ${opts.state})`);

let stopping = false;
const stop = why => {
  if (stopping) return;
  stopping = true;
  log(`stopping: ${why}`);
  try { unlinkSync(opts.state); } catch { /* already gone */ }
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
if (opts.watchPid > 0) {
  const parent = opts.watchPid === process.ppid;
  setInterval(() => {
    let gone = parent && process.ppid !== opts.watchPid;
    if (!gone) {
      try { process.kill(opts.watchPid, 0); } catch (e) { gone = e.code === 'ESRCH'; }
    }
    if (gone) stop(`process ${opts.watchPid} is gone`);
  }, 300).unref();
}
