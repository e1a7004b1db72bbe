// People (docs/identity.md): the admin's list of everyone who signed in, with their
// access (kept across sign-ins once set here), disable and enable; and a client's
// invitations, for the client's approvers and the provider's editors.
import { api, get, path } from './api.js';
import { h, put, swap } from './dom.js';
import { date, day, errorText, t } from './i18n.js';
import { session } from './session.js';
import { announce, go } from './app.js';

const TENANT_ROLES = ['viewer', 'responder', 'approver'];

// The admin's tab: one row per person, the access as three selects (role, client, role at
// the client), saved by row.
export async function peopleTab() {
  const [people, tenants, me] = await Promise.all([get('/api/v1/users'), get('/api/v1/tenants'), get('/api/v1/me')]);
  const tenantName = id => (tenants.find(x => x.id === id) || { name: id }).name;
  const msg = h('p', { 'aria-live': 'polite', class: 'form-msg', id: 'people-msg' });
  const redraw = async () => swap('people-tab', await peopleTab());
  const change = async (u, body, done) => {
    try {
      await api('PATCH', path('users', u.id), { body });
      await redraw();
      announce(done);
    } catch (err) {
      const live = document.getElementById('people-msg');
      if (live) put(live, h('span', { class: 'error', role: 'alert' }, errorText(err)));
    }
  };
  const row = u => {
    const self = me.kind === 'user' && me.id === u.id;
    const role = h('select', { 'aria-label': t('people.role_label', { name: u.name }), disabled: self },
      h('option', { value: '' }, t('people.no_access')),
      ['admin', 'editor', 'viewer', 'tenant'].map(r => h('option', { value: r, selected: u.role === r }, t('role.name.' + r))));
    const tenant = h('select', { 'aria-label': t('people.tenant_label', { name: u.name }) },
      tenants.map(x => h('option', { value: x.id, selected: u.tenant === x.id }, x.name)));
    const tenantRole = h('select', { 'aria-label': t('people.tenant_role_label', { name: u.name }) },
      TENANT_ROLES.map(r => h('option', { value: r, selected: (u.tenant_role || 'viewer') === r }, t('tenant_role.' + r))));
    const sync = () => { tenant.hidden = tenantRole.hidden = role.value !== 'tenant'; };
    role.addEventListener('change', sync);
    sync();
    const save = h('button', { type: 'button', onclick: () => {
      const body = { role: role.value || null };
      if (role.value === 'tenant') Object.assign(body, { tenant: tenant.value, tenant_role: tenantRole.value });
      change(u, body, t('people.saved', { name: u.name }));
    } }, t('people.save'));
    return h('tr', { id: 'person-' + u.id, class: u.disabled ? 'disabled' : null },
      h('th', { scope: 'row' }, u.name, self ? ` (${t('people.you')})` : '', h('br'), h('small', {}, u.email)),
      h('td', {}, u.role === 'tenant' ? tenantName(u.tenant) : u.role ? t('people.provider') : '–'),
      h('td', { class: 'access' }, role, ' ', tenant, ' ', tenantRole, ' ', self ? null : save),
      h('td', {}, t('people.assigned.' + u.assigned_by),
        !self && (u.assigned_by === 'admin' || u.assigned_by === 'invitation')
          ? [' ', h('button', { type: 'button', onclick: () => change(u, { assigned_by: 'sign-in' }, t('people.saved', { name: u.name })) }, t('people.release'))]
          : null),
      h('td', {}, date(u.last_seen)),
      h('td', {}, u.disabled ? t('people.disabled') : t('people.active'), ' ',
        self ? null : h('button', { type: 'button', class: u.disabled ? null : 'danger', onclick: () => {
          if (!u.disabled && !window.confirm(t('people.confirm_disable', { name: u.name }))) return;
          change(u, { disabled: !u.disabled }, t('people.saved', { name: u.name }));
        } }, u.disabled ? t('people.enable') : t('people.disable'))));
  };
  return h('div', { id: 'people-tab' },
    h('h2', {}, t('admin.tab.people')),
    h('p', { class: 'muted' }, t('people.explain')),
    msg,
    people.length === 0 ? h('p', { class: 'empty' }, t('people.empty')) :
      h('div', { class: 'table-wrap' }, h('table', { class: 'list people' },
        h('thead', {}, h('tr', {}, ['people.name', 'people.org', 'people.access', 'people.assigned', 'people.last_seen', 'people.state']
          .map(k => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, people.map(row)))));
}

// A client's people: invite by address, the invitations and what became of them.
export async function tenantPeoplePage([tenant]) {
  const [invitations, tenants] = await Promise.all([
    get(path('tenants', tenant, 'invitations')),
    session.provider ? get('/api/v1/tenants') : Promise.resolve([{ id: tenant, name: session.tenantName || tenant }]),
  ]);
  const name = (tenants.find(x => x.id === tenant) || { name: tenant }).name;
  const msg = h('p', { 'aria-live': 'polite', class: 'form-msg', id: 'invite-msg' });
  const email = h('input', { type: 'email', required: true, autocomplete: 'off', id: 'invite-email' });
  const role = h('select', { id: 'invite-role', 'aria-describedby': 'invite-role-help' },
    TENANT_ROLES.map(r => h('option', { value: r }, t('tenant_role.' + r))));
  const help = h('ul', { class: 'help', id: 'invite-role-help' },
    TENANT_ROLES.map(r => h('li', {}, h('strong', {}, t('tenant_role.' + r)), ': ', t('tenant_role.' + r + '.explain'))));
  const form = h('form', { class: 'card', onsubmit: async e => {
    e.preventDefault();
    try {
      const made = await api('POST', path('tenants', tenant, 'invitations'), { body: { email: email.value, tenant_role: role.value } });
      go(`#/tenants/${tenant}/people?invited=${encodeURIComponent(made.email)}`);
    } catch (err) { put(msg, h('span', { class: 'error', role: 'alert' }, errorText(err))); }
  } },
    h('h2', {}, t('invite.send')),
    h('div', { class: 'field' }, h('label', { for: 'invite-email' }, t('invite.email')), email),
    h('div', { class: 'field' }, h('label', { for: 'invite-role' }, t('invite.role', { tenant: name })), role, help),
    h('button', { type: 'submit', class: 'primary' }, t('invite.send')), msg);
  const state = i => i.state === 'used' ? t('invite.state.used', { name: i.used_by, day: day(i.used) })
    : i.state === 'expired' ? t('invite.state.expired', { day: day(i.expires) })
      : t('invite.state.open', { day: day(i.expires) });
  const invited = new URLSearchParams(location.hash.split('?')[1] || '').get('invited');
  return h('section', {},
    session.provider ? h('nav', { class: 'crumbs', 'aria-label': t('nav.crumbs') },
      h('a', { href: '#/admin/tenants' }, t('admin.tab.tenants')), ' / ', name) : null,
    h('h1', {}, t('invite.title', { tenant: name })),
    h('p', { class: 'muted' }, t('invite.explain')),
    invited ? h('p', { class: 'banner', role: 'status', id: 'invite-sent' }, t('invite.sent', { email: invited })) : null,
    form,
    h('h2', {}, t('invite.list')),
    invitations.length === 0 ? h('p', { class: 'empty' }, t('invite.none')) :
      h('div', { class: 'table-wrap' }, h('table', { class: 'list invitations' },
        h('thead', {}, h('tr', {}, ['invite.email', 'people.access', 'invite.by', 'invite.state']
          .map(k => h('th', { scope: 'col' }, t(k))), h('td', {}))),
        h('tbody', {}, invitations.map(i => h('tr', { id: 'invitation-' + i.id },
          h('td', {}, i.email), h('td', {}, t('tenant_role.' + i.tenant_role)), h('td', {}, i.by),
          h('td', {}, state(i)),
          h('td', {}, i.state !== 'open' ? null : h('button', { type: 'button', class: 'danger',
            'aria-label': t('invite.withdraw_label', { email: i.email }), onclick: async () => {
              try {
                await api('DELETE', path('tenants', tenant, 'invitations', i.id));
                announce(t('invite.withdrawn', { email: i.email }));
                go(`#/tenants/${tenant}/people`);
              } catch (err) { put(msg, h('span', { class: 'error', role: 'alert' }, errorText(err))); }
            } }, t('invite.withdraw')))))))));
}
