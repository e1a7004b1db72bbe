// Sign-in: a token pasted once (kept in sessionStorage). GET /api/v1/me says whose it is:
// its role, its tenant for a client's token, and their names (the token's, the
// tenant's), which the header shows. An unknown or revoked token is answered 401, an
// ingest token is refused here (it only posts alerts).
import { ApiError, get } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { session } from './session.js';
import { go } from './app.js';

async function whoIs(token) {
  let me;
  try { me = await get('/api/v1/me', { token }); } catch (e) {
    if (e instanceof ApiError && e.status === 401) return { error: t('signin.bad_token') };
    throw e;
  }
  if (me.role === 'ingest') return { error: t('signin.ingest') };
  return { role: me.role, tenant: me.tenant, name: me.name, tenantName: me.tenant_name };
}

export async function signInPage(_, query) {
  document.title = t('signin.title') + ' · racine';
  const message = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  if (query.get('expired')) message.textContent = t('signin.expired');
  const token = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off',
    required: true, spellcheck: 'false', autofocus: true, 'aria-describedby': 'token-help' });
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
      session.save({ token: value, role: r.role, tenant: r.tenant, name: r.name, tenantName: r.tenantName });
      const next = query.get('next');
      go(next && next.startsWith('/') && !next.startsWith('/signin') ? '#' + next
        : r.role === 'tenant' ? '#/contracts' : '#/matrices');
    } catch (err) {
      message.textContent = err.message;
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
  if (session.signedIn) {
    return h('section', {}, h('h1', {}, t('signin.title')),
      h('p', {}, t('signin.already', { role: t('role.name.' + session.role) })),
      h('p', {}, h('a', { href: session.provider ? '#/matrices' : '#/contracts' }, t('notfound.home'))));
  }
  return h('section', { class: 'narrow' },
    h('h1', {}, t('signin.title')),
    h('p', { class: 'lead' }, t('signin.intro')),
    form);
}
