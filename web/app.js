// The portal: a page per hash route (#/matrices, #/tenants/t/contracts/c...), drawn from
// the API's JSON. No framework: plain modules, DOM nodes built in dom.js.
import { ApiError, api, get, onUnauthorized } from './api.js';
import { h, put, watchScrollers } from './dom.js';
import { errorText, initialLanguage, language, setAudience, setLanguage, t } from './i18n.js';
import { session } from './session.js';
import { noAccessPage, signInPage } from './pages-signin.js';
import { matricesPage, matrixPage, versionPage, diffPage } from './pages-matrices.js';
import { contractsPage, contractPage } from './pages-contract.js';
import { eventsPage, stopLive } from './pages-events.js';
import { adminPage } from './pages-admin.js';
import { tenantPeoplePage } from './pages-people.js';
import { receiversPage } from './pages-receivers.js';
import { maintenancePage } from './pages-oncall.js';
import { requestsPage } from './pages-requests.js';

const main = document.getElementById('main');
const seg = '([a-z0-9][a-z0-9-]{0,62})';

// Route patterns, the roles that may open them, the page. The provider's viewer reads
// what an editor reads; the pages leave out what its role cannot do.
const STAFF = ['admin', 'editor', 'viewer'];
const routes = [
  [/^\/signin$/, null, signInPage],
  [/^\/no-access$/, null, noAccessPage],
  [/^\/matrices$/, STAFF, matricesPage],
  [new RegExp(`^/matrices/${seg}$`), STAFF, matrixPage],
  [new RegExp(`^/matrices/${seg}/versions/(\\d+|latest)$`), [...STAFF, 'tenant'], versionPage],
  [new RegExp(`^/matrices/${seg}/diff/(\\d+)/(\\d+)$`), [...STAFF, 'tenant'], diffPage],
  [/^\/contracts$/, [...STAFF, 'tenant'], contractsPage],
  [new RegExp(`^/tenants/${seg}/contracts/${seg}(?:/(search|duties|matrix|upgrade|history|exports))?$`),
    [...STAFF, 'tenant'], contractPage],
  [new RegExp(`^/tenants/${seg}/events$`), [...STAFF, 'tenant'], eventsPage],
  [new RegExp(`^/tenants/${seg}/people$`), ['admin', 'editor', 'tenant'], tenantPeoplePage],
  [new RegExp(`^/tenants/${seg}/receivers$`), [...STAFF, 'tenant'], receiversPage],
  [new RegExp(`^/tenants/${seg}/maintenance$`), [...STAFF, 'tenant'], maintenancePage],
  [new RegExp(`^/tenants/${seg}/requests$`), [...STAFF, 'tenant'], requestsPage],
  [/^\/requests$/, STAFF, requestsPage],
  [/^\/admin(?:\/(tenants|people|tokens|audit))?$/, STAFF, adminPage],
];

function home() {
  if (!session.signedIn) return '#/signin';
  return session.provider ? '#/matrices' : '#/contracts';
}

function navigation() {
  setAudience(session.provider ? 'provider' : '');
  const links = [];
  if (session.provider) {
    links.push(['#/matrices', t('nav.matrices'), '/matrices']);
    links.push(['#/contracts', t('nav.contracts'), '/contracts']);
    links.push(['#/requests', t('nav.requests'), '/requests']);
    links.push(['#/admin', t('nav.admin'), '/admin']);
  } else if (session.role === 'tenant') {
    links.push(['#/contracts', t('nav.my_contracts'), '/contracts']);
    links.push([`#/tenants/${session.tenant}/events`, t('nav.events'), `/tenants/${session.tenant}/events`]);
    links.push([`#/tenants/${session.tenant}/receivers`, t('nav.receivers'), `/tenants/${session.tenant}/receivers`]);
    links.push([`#/tenants/${session.tenant}/maintenance`, t('nav.maintenance'), `/tenants/${session.tenant}/maintenance`]);
    links.push([`#/tenants/${session.tenant}/requests`, t('nav.requests'), `/tenants/${session.tenant}/requests`]);
    if (session.canAccept) links.push([`#/tenants/${session.tenant}/people`, t('nav.people'), `/tenants/${session.tenant}/people`]);
  }
  const current = location.hash.slice(1);
  put(document.getElementById('nav'), h('ul', {}, links.map(([href, label, prefix]) =>
    h('li', {}, h('a', { href, 'aria-current': current.startsWith(prefix) ? 'page' : null }, label)))));
  // A token: the role and the client by name (by id if the session has no name), the
  // token's name under them. A person: their name, under it the role, the client and the
  // role at the client.
  const tenant = session.tenantName || session.tenant;
  const role = t('role.name.' + session.role) + (tenant ? ' · ' + tenant : '');
  put(document.getElementById('whoami'), !session.signedIn ? [] : session.isPerson ? [
    h('span', { class: 'who-name', title: session.email || null }, session.name || session.email || ''),
    ' ',
    h('small', { class: 'who-role' }, role,
      session.tenantRole ? ' · ' + t('tenant_role.' + session.tenantRole) : '')] : [
    role,
    ' ',
    session.name ? h('small', { class: 'who-token' }, t('nav.token', { name: session.name })) : null]);
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
    h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? errorText(err) : t('error.page')));
}

let renderId = 0;
export async function render() {
  const id = ++renderId;
  stopLive();  // the events page's live updates end with it
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

// The server refused the session: a token revoked, or a person's session ended (timed
// out, signed out elsewhere). A person is asked to sign in again and brought back here.
onUnauthorized(() => {
  if (!session.signedIn) return;  // told already: the calls of one page refused together
  const person = session.isPerson;
  session.clear();
  if (!person) { go('#/signin?expired=1'); return; }
  const here = location.hash.slice(1);
  go('#/signin?expired=session' + (here && !here.startsWith('/signin') ? '&next=' + encodeURIComponent(here) : ''));
});

// Is a person signed in? Their session cookie is HttpOnly: only the server can say. Asked
// once when the portal loads, when this tab holds no token.
async function personSignedIn() {
  if (session.token) return;
  try {
    const me = await get('/api/v1/me', { quiet: true });
    if (me && me.kind === 'user' && me.role && me.role !== 'ingest') session.person(me);
  } catch { /* 401: nobody; anything else: the sign-in page says more */ }
}

// Sign-out. A token: forgotten here. A person: POST /auth/logout ends the session at
// racine and answers where to go, the provider's logout page or the sign-in page.
async function signOut() {
  if (!session.isPerson) {
    session.clear();
    go('#/signin');
    return;
  }
  let to = '/#/signin';
  try {
    const r = await api('POST', '/auth/logout', { quiet: true });
    if (r && typeof r.redirect === 'string') to = r.redirect;
  } catch (err) {
    session.clear();
    go('#/signin?signout_error=' + encodeURIComponent(err.message));
    return;
  }
  session.clear();
  let url;
  try { url = new URL(to, location.href); } catch { url = new URL('/#/signin', location.href); }
  if (url.origin === location.origin && url.pathname === '/') go(url.hash || '#/signin');
  else if (url.protocol === 'https:' || url.protocol === 'http:') location.assign(url.href);
  else go('#/signin');
}

async function start() {
  await setLanguage(initialLanguage());
  watchScrollers(main, () => t('table.scrolls'));
  document.getElementById('lang').addEventListener('click', async () => {
    await setLanguage(language() === 'fr' ? 'en' : 'fr', true);
    render();
  });
  document.getElementById('signout').addEventListener('click', signOut);
  await personSignedIn();
  window.addEventListener('hashchange', render);
  render();
}

start();
