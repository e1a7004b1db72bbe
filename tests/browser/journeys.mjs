// What the portal's browser journeys share (portal.mjs, requests.mjs): a private
// `racine serve`, API calls, and the checks every page gets (words of the other
// language, elements wider than the screen).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Starts `racine serve` on a port of its own; resolves with the child, its base URL and
// the first admin token.
export function serve(racine, args) {
  return new Promise((ok, fail) => {
    const child = spawn(racine, ['serve', '--listen', '127.0.0.1:0', '--rate-limit', '0', ...args],
      { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    let admin = '';
    const timer = setTimeout(() => fail(new Error('racine serve did not start: ' + text)), 20000);
    child.stdout.on('data', chunk => {
      text += chunk;
      const a = /the first admin token is in (\S+) \(/.exec(text);
      if (a && !admin) admin = readFileSync(a[1], 'utf8').trim();
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
      if (m) { clearTimeout(timer); ok({ child, base: m[1], admin }); }
    });
    child.on('exit', code => fail(new Error(`racine serve exited ${code}: ${text}`)));
  });
}

export async function call(base, token, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

// Words that belong to one language only: one on a page of the other language is a
// message missing from a catalog.
export const WORDS = {
  en: ['the', 'and', 'with', 'your', 'you', 'must', 'what', 'who', 'does', 'this', 'that', 'not', 'are', 'is', 'of',
    'errors?', 'warnings?', 'token', 'tenant', 'ingest', 'shown', 'saved', 'sign', 'none', 'every', 'which', 'there'],
  fr: ['le', 'la', 'les', 'des', 'du', 'est', 'sont', 'vous', 'votre', 'avec', 'pour', 'qui', 'que', 'fait', 'une',
    'aucun', 'aucune', 'jeton', 'erreurs?', 'avertissements?', 'affichées?', 'enregistré', 'connexion', 'ligne', 'où'],
};

// The words of the other language the page shows, outside elements in another `lang`
// (the matrix's own text), codes, scripts and form fields, once the names in `data`
// (what the journeys typed: tokens, clients, a request's words) are taken out.
export async function otherLanguageWords(page, lang, data) {
  const text = await page.evaluate(() => {
    const lang = document.documentElement.lang;
    const out = [];
    const walk = node => {
      for (const c of node.childNodes) {
        if (c.nodeType === Node.TEXT_NODE) { out.push(c.textContent); continue; }
        if (c.nodeType !== Node.ELEMENT_NODE) continue;
        if (c.hasAttribute('lang') && c.getAttribute('lang') !== lang) continue;
        if (['CODE', 'SCRIPT', 'STYLE', 'INPUT', 'TEXTAREA', 'SELECT', 'TIME'].includes(c.tagName)) continue;
        if (c.hidden || getComputedStyle(c).display === 'none') continue;
        walk(c);
      }
    };
    walk(document.body);
    return out.join(' ');
  });
  let cleaned = text;
  for (const n of data) cleaned = cleaned.split(n).join(' ');
  const other = lang === 'fr' ? 'en' : 'fr';
  const re = new RegExp(`(^|[^\\p{L}])(${WORDS[other].join('|')})(?=[^\\p{L}]|$)`, 'giu');
  return [...new Set([...cleaned.matchAll(re)].map(m => m[2]))];
}

// Elements wider than the screen, outside a container that scrolls sideways.
export async function overflowing(page) {
  return page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const bad = [];
    const scrolls = el => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (/(auto|scroll|hidden)/.test(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || r.right <= 0) continue;  // empty, or put off screen on purpose (the skip link)
      if (r.right <= W + 1 && r.left >= -1) continue;
      if (scrolls(el)) continue;
      bad.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} (${Math.round(r.left)}..${Math.round(r.right)} of ${W})`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth) bad.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
    return bad.slice(0, 5);
  });
}
