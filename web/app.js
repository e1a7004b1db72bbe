// The portal: a page per hash route (#/matrices, #/tenants/t/contracts/c...), drawn from
// the API's JSON. No framework: plain modules, DOM nodes built in dom.js.
import { ApiError, onUnauthorized } from './api.js';
import { h, put } from './dom.js';
import { initialLanguage, language, setLanguage, t } from './i18n.js';
import { session } from './session.js';
import { signInPage } from './pages-signin.js';
import { matricesPage, matrixPage, versionPage, diffPage } from './pages-matrices.js';
import { contractsPage, contractPage } from './pages-contract.js';
import { eventsPage } from './pages-events.js';
import { adminPage } from './pages-admin.js';

const main = document.getElementById('main');
const seg = '([a-z0-9][a-z0-9-]{0,62})';

// Route patterns, the roles that may open them, the page.
const routes = [
  [/^\/signin$/, null, signInPage],
  [/^\/matrices$/, ['admin', 'editor'], matricesPage],
  [new RegExp(`^/matrices/${seg}$`), ['admin', 'editor'], matrixPage],
  [new RegExp(`^/matrices/${seg}/versions/(\\d+|latest)$`), ['admin', 'editor', 'tenant'], versionPage],
  [new RegExp(`^/matrices/${seg}/diff/(\\d+)/(\\d+)$`), ['admin', 'editor', 'tenant'], diffPage],
  [/^\/contracts$/, ['admin', 'editor', 'tenant'], contractsPage],
  [new RegExp(`^/tenants/${seg}/contracts/${seg}(?:/(search|duties|matrix|upgrade|exports))?$`),
    ['admin', 'editor', 'tenant'], contractPage],
  [new RegExp(`^/tenants/${seg}/events$`), ['admin', 'editor', 'tenant'], eventsPage],
  [/^\/admin(?:\/(tenants|tokens|audit))?$/, ['admin', 'editor'], adminPage],
];

function home() {
  if (!session.signedIn) return '#/signin';
  return session.provider ? '#/matrices' : '#/contracts';
}

function navigation() {
  const links = [];
  if (session.provider) {
    links.push(['#/matrices', t('nav.matrices'), '/matrices']);
    links.push(['#/contracts', t('nav.contracts'), '/contracts']);
    links.push(['#/admin', t('nav.admin'), '/admin']);
  } else if (session.role === 'tenant') {
    links.push(['#/contracts', t('nav.my_contracts'), '/contracts']);
    links.push([`#/tenants/${session.tenant}/events`, t('nav.events'), `/tenants/${session.tenant}/events`]);
  }
  const current = location.hash.slice(1);
  put(document.getElementById('nav'), h('ul', {}, links.map(([href, label, prefix]) =>
    h('li', {}, h('a', { href, 'aria-current': current.startsWith(prefix) ? 'page' : null }, label)))));
  // The role and the client by name (by id if the session has no name), the token's name
  // under them.
  const tenant = session.tenantName || session.tenant;
  put(document.getElementById('whoami'), session.signedIn ? [
    t('role.name.' + session.role) + (tenant ? ' · ' + tenant : ''),
    session.name ? h('small', { class: 'who-token' }, t('nav.token', { name: session.name })) : null] : []);
  const out = document.getElementById('signout');
  out.hidden = !session.signedIn;
  out.textContent = t('nav.signout');
  const lang = document.getElementById('lang');
  const other = language() === 'fr' ? 'en' : 'fr';
  lang.textContent = t('lang.switch');
  lang.setAttribute('lang', other);
  lang.setAttribute('aria-label', t('lang.switch_label'));
  document.getElementById('skip').textContent = t('nav.skip');
  document.getElementById('brand').setAttribute('aria-label', t('nav.home'));
}

// The 404 page: the same for a missing resource and another tenant's.
export function notFound(detail) {
  document.title = t('notfound.title') + ' · racine';
  return h('section', { class: 'notfound' },
    h('h1', {}, t('notfound.title')),
    h('p', {}, detail || t('notfound.text')),
    h('p', {}, h('a', { href: home() }, t('notfound.home'))));
}

export function errorView(err) {
  if (err instanceof ApiError && err.status === 404) return notFound();
  if (err instanceof ApiError && err.status === 403) {
    return h('section', {}, h('h1', {}, t('forbidden.title')), h('p', {}, t('forbidden.text')));
  }
  return h('section', {}, h('h1', {}, t('error.title')),
    h('p', { class: 'error', role: 'alert' }, err.message || String(err)));
}

let renderId = 0;
export async function render() {
  const id = ++renderId;
  const raw = location.hash.slice(1) || '/';
  const pathOnly = raw.split('?')[0];
  navigation();
  if (pathOnly === '/' || pathOnly === '') { location.replace(home()); return; }
  let match = null;
  let route = null;
  for (const r of routes) {
    match = r[0].exec(pathOnly);
    if (match) { route = r; break; }
  }
  let view;
  if (!route) {
    view = notFound();
  } else if (route[1] && !session.signedIn) {
    location.replace('#/signin?next=' + encodeURIComponent(raw));
    return;
  } else if (route[1] && !route[1].includes(session.role)) {
    view = notFound();
  } else if (route[1] && session.role === 'tenant' && /^\/tenants\//.test(pathOnly) &&
             match[1] !== session.tenant) {
    // Another tenant's pages: the same 404 as a missing one, nothing asked of the API.
    view = notFound();
  } else {
    put(main, h('p', { class: 'loading', role: 'status' }, t('loading')));
    try {
      view = await route[2](match.slice(1), new URLSearchParams(raw.split('?')[1] || ''));
    } catch (err) {
      view = errorView(err);
    }
  }
  if (id !== renderId) return;  // a newer navigation won
  put(main, view);
  const h1 = main.querySelector('h1');
  if (h1 && !document.title.startsWith(h1.textContent)) document.title = h1.textContent + ' · racine';
  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    if (!main.querySelector('[autofocus]')) main.focus({ preventScroll: true });
    else main.querySelector('[autofocus]').focus();
  }
  main.dataset.ready = raw;
}

export function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

export function announce(text) {
  document.getElementById('status').textContent = text;
}

onUnauthorized(() => {
  session.clear();
  go('#/signin?expired=1');
});

async function start() {
  await setLanguage(initialLanguage());
  document.getElementById('lang').addEventListener('click', async () => {
    await setLanguage(language() === 'fr' ? 'en' : 'fr', true);
    render();
  });
  document.getElementById('signout').addEventListener('click', () => {
    session.clear();
    go('#/signin');
  });
  window.addEventListener('hashchange', render);
  render();
}

start();
