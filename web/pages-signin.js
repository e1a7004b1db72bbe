// Sign-in. People sign in through their organisation's OpenID Provider: one button per
// provider that GET /auth/issuers names, a plain link to /auth/login, which sends the
// browser to the provider and back to the page wanted with racine's session cookie (or
// to #/signin?error=... on failure, to #/no-access for a person racine gives no role).
// A token pasted once (kept in sessionStorage) is the other way in, the break-glass entry
// of an administrator: under a disclosure when there are providers, alone when there are
// none. GET /api/v1/me says whose the token is: its role, its tenant for a client's token,
// and their names (the token's, the tenant's), which the header shows. An unknown or
// revoked token is answered 401, an ingest token is refused here (it only posts alerts).
import { ApiError, get } from './api.js';
import { h } from './dom.js';
import { errorText, has, t } from './i18n.js';
import { session } from './session.js';
import { go } from './app.js';

async function whoIs(token) {
  let me;
  try { me = await get('/api/v1/me', { token }); } catch (e) {
    if (e instanceof ApiError && e.status === 401) return { error: t('signin.bad_token') };
    throw e;
  }
  if (me.role === 'ingest') return { error: t('signin.ingest') };
  return { role: me.role, tenant: me.tenant, name: me.name, tenantName: me.tenant_name,
           tenantRole: me.tenant_role };
}

// The providers people sign in with ([] when none is configured, or the server is older).
async function issuers() {
  try {
    const list = await get('/auth/issuers', { quiet: true });
    return Array.isArray(list) ? list.filter(i => i && typeof i.id === 'string' && i.id) : [];
  } catch { return []; }
}

// The page wanted after signing in, from ?next= (a portal route only).
function wanted(query) {
  const next = query.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') &&
    !next.startsWith('/no-access') ? next : null;
}

export async function signInPage(_, query) {
  document.title = t('signin.title') + ' · racine';
  if (session.signedIn) {
    return h('section', {}, h('h1', {}, t('signin.title')),
      h('p', {}, t('signin.already', { role: t('role.name.' + session.role) })),
      h('p', {}, h('a', { href: session.provider ? '#/matrices' : '#/contracts' }, t('notfound.home'))));
  }
  const providers = await issuers();
  const next = wanted(query);
  const message = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  // Why the last attempt failed: a session that ended, or the server's words after a
  // sign-in at a provider (shown as text, never as markup).
  const expired = query.get('expired');
  if (expired) message.textContent = expired === 'session' ? t('signin.session_ended') : t('signin.expired');
  // A sign-in that failed comes back with its reason (said in the page's language) and
  // the server's English words, kept as a detail marked as English.
  const failure = query.get('error');
  const reason = query.get('reason');
  const outFailure = query.get('signout_error');
  const said = reason && /^[a-z_]{1,40}$/.test(reason) && has('signin.reason.' + reason) ? t('signin.reason.' + reason) : null;
  const detail = text => h('code', { class: 'detail', lang: 'en' }, text.slice(0, 300));
  const providerError = failure || outFailure ? h('p', { class: 'error', role: 'alert', id: 'signin-provider-error' },
    failure ? (said ? [t('signin.failed', { why: said }), ' ', detail(failure)] : t('signin.failed', { why: failure.slice(0, 300) }))
      : t('signin.signout_failed', { why: outFailure.slice(0, 300) }))
    : null;

  const token = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off',
    required: true, spellcheck: 'false', autofocus: providers.length ? null : true,
    'aria-describedby': 'token-help' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('signin.submit'));
  const form = h('form', { class: 'card signin', novalidate: true, onsubmit: async e => {
    e.preventDefault();
    message.textContent = '';
    const value = token.value.trim();
    if (!value) { message.textContent = t('signin.need_token'); token.focus(); return; }
    button.disabled = true;
    try {
      const r = await whoIs(value);
      if (r.error) {
        message.textContent = r.error;
        token.focus();
        return;
      }
      session.save({ token: value, role: r.role, tenant: r.tenant, name: r.name, tenantName: r.tenantName,
                     tenantRole: r.tenantRole });
      go(next ? '#' + next : r.role === 'tenant' ? '#/contracts' : '#/matrices');
    } catch (err) {
      message.textContent = errorText(err);
    } finally {
      button.disabled = false;
    }
  } },
    h('div', { class: 'field' },
      h('label', { for: 'token' }, t('signin.token')),
      token,
      h('p', { class: 'help', id: 'token-help' }, t('signin.token_help'))),
    message,
    button);

  if (!providers.length) {
    return h('section', { class: 'narrow' },
      h('h1', {}, t('signin.title')),
      providerError,
      h('p', { class: 'lead' }, t('signin.intro')),
      form);
  }
  // Back to the page wanted, else to "/#/": the start page of the role the person turns
  // out to have (the matrices for the provider's staff, the contracts for a client).
  const back = '/#' + (next || '/');
  const buttons = h('ul', { class: 'issuers' }, providers.map((p, i) => h('li', {},
    h('a', { class: 'button primary issuer', autofocus: i === 0 ? true : null,
      href: '/auth/login?issuer=' + encodeURIComponent(p.id) + '&return=' + encodeURIComponent(back) },
    t('signin.with', { name: p.name || p.id })))));
  // The token form, folded; open when the last attempt was a token's.
  const disclosure = h('details', { class: 'token-entry', open: expired === '1' ? true : null,
    ontoggle: e => { if (e.target.open) token.focus(); } },
    h('summary', {}, t('signin.use_token')),
    h('p', { class: 'help' }, t('signin.token_intro')),
    form);
  return h('section', { class: 'narrow' },
    h('h1', {}, t('signin.title')),
    providerError,
    h('p', { class: 'lead' }, t('signin.intro_people')),
    buttons,
    disclosure);
}

// Signed in at the provider, but no role here: who to ask, and the way back.
export async function noAccessPage() {
  document.title = t('noaccess.title') + ' · racine';
  return h('section', { class: 'narrow noaccess' },
    h('h1', {}, t('noaccess.title')),
    h('p', { class: 'lead' }, t('noaccess.text')),
    h('p', {}, t('noaccess.ask')),
    h('p', {}, t('noaccess.then')),
    h('p', { class: 'actions' }, h('a', { class: 'button', href: '#/signin', id: 'noaccess-retry' }, t('noaccess.retry'))));
}
