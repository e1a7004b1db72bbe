// What the OpenID Connect tests share: the CI=true rule for a missing prerequisite, named
// checks with a closing count, a cookie jar per site, and an HTTP call that neither
// follows redirects nor pools connections.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

// Under CI=true a missing prerequisite fails and says what to install; elsewhere the test
// is skipped (exit 77, ctest's SKIP_RETURN_CODE).
export const missing = what => {
  if (process.env.CI === 'true') {
    console.error(`error: CI=true and ${what}`);
    process.exit(1);
  }
  console.log(`skipped: ${what}`);
  process.exit(77);
};

// check(name, fn) runs and reports one case; done(label) prints "label: N passed, M
// failed" and exits with their verdict.
export const checks = () => {
  let passed = 0;
  let failed = 0;
  return {
    check: async (name, fn) => {
      try {
        await fn();
        passed++;
        console.log(`ok - ${name}`);
      } catch (e) {
        failed++;
        console.log(`FAILED - ${name}\n${String(e.stack || e).replace(/^/gm, '    ')}`);
      }
    },
    fail: (name, e) => {
      failed++;
      console.log(`FAILED - ${name}\n${String(e.stack || e).replace(/^/gm, '    ')}`);
    },
    done: label => {
      console.log(`${label}: ${passed} passed, ${failed} failed`);
      process.exit(failed === 0 && passed > 0 ? 0 : 1);
    },
  };
};

// Cookies per host:port, sent back as a browser would; a cookie set empty, with
// Max-Age=0 or an Expires passed is dropped.
export class Jar {
  #sites = new Map();
  header(url) {
    const site = this.#sites.get(new URL(url).host) || new Map();
    return [...site].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  store(url, setCookie = []) {
    const host = new URL(url).host;
    if (!this.#sites.has(host)) this.#sites.set(host, new Map());
    const site = this.#sites.get(host);
    for (const line of setCookie) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const maxAge = attrs.map(a => a.trim()).find(a => /^max-age=/i.test(a));
      const expires = attrs.map(a => a.trim()).find(a => /^expires=/i.test(a));
      if (!value || (maxAge && Number(maxAge.slice(8)) <= 0) ||
          (expires && Date.parse(expires.slice(8)) <= Date.now())) site.delete(name);
      else site.set(name, value);
    }
  }
  get(url, name) { return (this.#sites.get(new URL(url).host) || new Map()).get(name); }
}

// One request: {status, headers, text, location (absolute)}; `form` is sent
// url-encoded, `body` as it is.
export const http = (method, url, { jar, headers = {}, form, body } = {}) => new Promise((ok, fail) => {
  const data = form ? new URLSearchParams(form).toString() : body;
  const h = { ...headers };
  if (jar && jar.header(url)) h.Cookie = jar.header(url);
  if (form) h['Content-Type'] = 'application/x-www-form-urlencoded';
  if (data !== undefined) h['Content-Length'] = Buffer.byteLength(data);
  const req = httpRequest(url, { method, headers: h, agent: false }, res => {
    const chunks = [];
    res.on('data', c => chunks.push(c));
    res.on('end', () => {
      if (jar) jar.store(url, res.headers['set-cookie']);
      ok({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'),
        location: res.headers.location ? new URL(res.headers.location, url).href : undefined });
    });
  });
  req.on('error', fail);
  req.setTimeout(15000, () => req.destroy(new Error(`${method} ${url}: no answer in 15 s`)));
  req.end(data);
});

// A free TCP port on 127.0.0.1 (racine's, chosen before the provider is told its
// redirect URI).
export const freePort = () => new Promise((ok, fail) => {
  const s = createServer();
  s.on('error', fail);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

// The private OpenID Provider (tests/oidc/op.sh) for a racine at `base`, and racine's
// configuration file naming it twice: the provider's staff (Cloud Temple) and a client
// (ACME), each with its groups mapped. Returns {op, opDir, config}; the provider stops by
// itself when this process ends (or by stopProvider).
export const startProvider = (src, work, base, others = []) => {
  const opDir = join(work, 'op');
  const uris = [base, ...others].flatMap(b =>
    ['--redirect-uri', `${b}/auth/callback`, '--post-logout-redirect-uri', `${b}/`]);
  const started = spawnSync('bash', [join(src, 'tests/oidc/op.sh'), 'start', opDir, ...uris],
  { encoding: 'utf8', env: { ...process.env, RACINE_OP_WATCH_PID: String(process.pid) } });
  if (started.status !== 0 || !existsSync(join(opDir, 'op.json')))
    throw new Error(`the OpenID Provider did not start: ${started.stdout}${started.stderr}`);
  const op = JSON.parse(readFileSync(join(opDir, 'op.json'), 'utf8'));
  const secretFile = join(work, 'racine-client.secret');
  writeFileSync(secretFile, op.clients.find(c => c.client_id === 'racine').client_secret + '\n',
    { mode: 0o600 });
  // One provider for both organisations here; in production each brings its own issuer.
  const section = (id, name, mapping) => `[issuer.${id}]
name = "${name}"
issuer = "${op.issuer}"
client-id = "racine"
client-secret-file = "${secretFile}"
scopes = ["openid", "profile", "email", "groups"]
${mapping}
`;
  const config = join(work, 'racine.toml');
  writeFileSync(config, '# racine serve --config\n' +
    section('cloudtemple', 'Cloud Temple',
      'provider = true\nadmin-groups = ["racine-admins"]\nviewer-groups = ["racine-viewers"]') + '\n' +
    section('acme', 'ACME',
      'tenant = "acme"\napprover-groups = ["acme-approvers"]\ntenant-viewer-groups = ["acme-viewers"]\n' +
      'attach-by-email = true'));
  return { op, opDir, config };
};

export const stopProvider = (src, opDir) => spawnSync('bash', [join(src, 'tests/oidc/op.sh'), 'stop', opDir]);

// `racine serve` on 127.0.0.1:port with a SQLite store in work/data (or the PostgreSQL
// database at `database`) and that configuration; resolves with the child once it
// listens.
export const serveRacine = (racine, port, work, config, database = '') => new Promise((ok, fail) => {
  const store = database ? ['--database', database] : ['--data', join(work, 'data')];
  const child = spawn(racine, ['serve', '--listen', `127.0.0.1:${port}`, ...store,
    '--rate-limit', '0', '--config', config, '--admin-token-file',
    join(work, database ? `admin-token-${port}` : 'admin-token')],
  { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  const timer = setTimeout(() => fail(new Error('racine serve did not start: ' + text)), 20000);
  child.stdout.on('data', c => {
    text += c;
    if (/serving on http/.test(text)) { clearTimeout(timer); ok(child); }
  });
  child.on('exit', code => fail(new Error(`racine serve exited ${code}: ${text}`)));
});

// SIGTERM, then SIGKILL after 10 s; resolves once it has exited.
export const stopRacine = child => new Promise(ok => {
  if (child.exitCode !== null) return ok();
  child.once('exit', () => ok());
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 10000).unref();
});
