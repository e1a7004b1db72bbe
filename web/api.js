// The only way the portal talks to racine: its HTTP API, with the token of the session
// (Authorization: Bearer), or else with the person's session cookie, which the browser
// sends by itself (same origin only); a change made with the cookie carries
// X-Racine-CSRF: 1, which the server requires of it (a form on another site cannot send
// it).
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

// Listeners told when the server refuses the session's token (401).
const unauthorized = [];
export function onUnauthorized(fn) { unauthorized.push(fn); }

async function request(method, path, { body, type, token } = {}) {
  const headers = {};
  const t = token ?? session.token;
  if (t) headers.Authorization = 'Bearer ' + t;
  else if (method !== 'GET' && method !== 'HEAD') headers['X-Racine-CSRF'] = '1';
  let data;
  if (body !== undefined) {
    headers['Content-Type'] = type || 'application/json';
    data = type ? body : JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: data, cache: 'no-store',
                              credentials: t ? 'omit' : 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', e.message, null);
  }
  return res;
}

async function parse(res) {
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: res.status, json, text };
}

// JSON in, JSON out; a non-2xx answer throws ApiError (with the parsed body). A 401 tells
// the listeners (the session ended), unless the call named its own token or is `quiet`
// (asking whether a person is signed in).
export async function api(method, path, options = {}) {
  const res = await request(method, path, options);
  const { status, json, text } = await parse(res);
  if (status >= 200 && status < 300) return json;
  if (status === 401 && !options.token && !options.quiet) unauthorized.forEach(fn => fn());
  const err = json && json.error ? json.error : {};
  throw new ApiError(status, err.code || String(status), err.message || text.slice(0, 200), json);
}

export const get = (path, options) => api('GET', path, options);

// A document (XLSX, OSCAL...) as a Blob.
export async function getBlob(path) {
  const res = await request('GET', path);
  if (!res.ok) {
    const { json, text } = await parse(res);
    const err = json && json.error ? json.error : {};
    throw new ApiError(res.status, err.code || String(res.status), err.message || text, json);
  }
  return res.blob();
}

// Path segments are ids or version numbers; encode them all the same.
export function path(...parts) {
  return '/api/v1/' + parts.map(p => encodeURIComponent(String(p))).join('/');
}
