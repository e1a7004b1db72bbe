// French and English labels (i18n/fr.json, i18n/en.json): chosen from the browser,
// switchable, remembered in localStorage. The matrix itself keeps its own language.
const KEY = 'racine.lang';
export const languages = ['fr', 'en'];
let lang = 'en';
let dict = {};

export function initialLanguage() {
  const saved = localStorage.getItem(KEY);
  if (languages.includes(saved)) return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return nav.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export async function setLanguage(next, remember = false) {
  const res = await fetch(`/assets/i18n/${next}.json`);
  dict = await res.json();
  lang = next;
  document.documentElement.lang = next;
  if (remember) localStorage.setItem(KEY, next);
}

export const language = () => lang;

// Who is reading: "provider" (the provider's staff) or "" (a client). A page about a
// client's contract says "we must" to the client and "the client must" to the provider:
// a key with an "@provider" variant takes it when the provider reads.
let audience = '';
export function setAudience(a) { audience = a; }

// t('matrices.version', { n: 3 }) is "version 3": the label, with {name} replaced.
// A key with a ".one" variant takes it where the language's plural rule says "one" for
// the count n (Intl.PluralRules: 1 in English; 0 and 1 in French).
const plurals = new Map();
function pluralOne(n) {
  if (!plurals.has(lang)) plurals.set(lang, new Intl.PluralRules(lang));
  return plurals.get(lang).select(n) === 'one';
}
export function t(key, params = {}) {
  const n = params.n;
  const one = typeof n === 'number' && pluralOne(n);
  if (audience && dict[key + '@' + audience]) key += '@' + audience;
  const s = (one && dict[key + '.one']) || dict[key] || key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

// Whether the catalog has a sentence for `key` (a code sent by the server, say).
export function has(key) {
  return Object.prototype.hasOwnProperty.call(dict, key);
}

export function date(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB',
                          { dateStyle: 'medium', timeStyle: 'short' });
}

// A day in words: "6 December 2026", "6 décembre 2026" (UTC: the day a record says).
export function day(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'en-GB',
                              { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

// A refusal in the page's language: the catalog's sentence for the server's `code`
// (error.CODE, both catalogs hold every code the server sends: tests/i18n/portal.mjs),
// never the server's English on a French page; a code the catalog lacks gives "The
// server refused the request (STATUS)".
export function errorText(err) {
  const code = err && err.code;
  if (code && dict['error.' + code]) return t('error.' + code);
  if (!err || !err.status) return t('error.network');
  return t('error.status', { status: err.status });
}
