// Sign-in: a token pasted once (kept in sessionStorage), and for a client's token its
// tenant. The role is learnt from what the API lets the token do: the token list
// answers only an admin, the tenant list an editor, a tenant's contracts only that
// tenant (the API has no "who am I" route).
import { ApiError, get, path } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { session } from './session.js';
import { go } from './app.js';

async function roleOf(token, tenant) {
  const probe = async p => {
    try { await get(p, { token }); return 200; } catch (e) {
      if (e instanceof ApiError) return e.status;
      throw e;
    }
  };
  const tokens = await probe('/api/v1/tokens');
  if (tokens === 401) return { error: t('signin.bad_token') };
  if (tokens === 200) return { role: 'admin' };
  if (await probe('/api/v1/tenants') === 200) return { role: 'editor' };
  if (await probe('/api/v1/matrices') === 403) return { error: t('signin.ingest') };
  if (!tenant) return { error: t('signin.need_tenant'), field: 'tenant' };
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(tenant)) return { error: t('signin.bad_tenant'), field: 'tenant' };
  if (await probe(path('tenants', tenant, 'contracts')) === 200) return { role: 'tenant', tenant };
  return { error: t('signin.wrong_tenant', { tenant }), field: 'tenant' };
}

export async function signInPage(_, query) {
  document.title = t('signin.title') + ' · racine';
  const message = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  if (query.get('expired')) message.textContent = t('signin.expired');
  const token = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off',
    required: true, spellcheck: 'false', autofocus: true, 'aria-describedby': 'token-help' });
  const tenant = h('input', { id: 'tenant', name: 'tenant', type: 'text', autocomplete: 'off',
    spellcheck: 'false', 'aria-describedby': 'tenant-help', value: session.tenant || '' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('signin.submit'));
  const form = h('form', { class: 'card signin', novalidate: true, onsubmit: async e => {
    e.preventDefault();
    message.textContent = '';
    const value = token.value.trim();
    if (!value) { message.textContent = t('signin.need_token'); token.focus(); return; }
    button.disabled = true;
    try {
      const r = await roleOf(value, tenant.value.trim());
      if (r.error) {
        message.textContent = r.error;
        (r.field === 'tenant' ? tenant : token).focus();
        return;
      }
      session.save({ token: value, role: r.role, tenant: r.tenant });
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
    h('div', { class: 'field' },
      h('label', { for: 'tenant' }, t('signin.tenant')),
      tenant,
      h('p', { class: 'help', id: 'tenant-help' }, t('signin.tenant_help'))),
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
