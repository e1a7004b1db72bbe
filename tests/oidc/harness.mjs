// What the OpenID Connect tests share: the CI=true rule for a missing prerequisite, named
// checks with a closing count, a cookie jar per site, and an HTTP call that neither
// follows redirects nor pools connections.
import { request as httpRequest } from 'node:http';

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
