// Administration: tenants and their contracts (editor and admin; the provider's viewer
// reads the list without the forms), tokens (create shows the token once, revoke) and the
// audit log with filters (admin), naming who by the token's name.
import { api, get, path } from './api.js';
import { h, put, swap } from './dom.js';
import { date, errorText, t } from './i18n.js';
import { session } from './session.js';
import { announce, go } from './app.js';
import { peopleTab } from './pages-people.js';

export async function adminPage([tab = 'tenants'], query) {
  const admin = session.role === 'admin';
  if (!admin && tab !== 'tenants') tab = 'tenants';
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('admin.sections') }, h('ul', {},
    ['tenants', ...(admin ? ['people', 'tokens', 'audit'] : [])].map(k =>
      h('li', {}, h('a', { href: '#/admin/' + k, 'aria-current': k === tab ? 'page' : null }, t('admin.tab.' + k))))));
  let body;
  if (tab === 'people') body = await peopleTab();
  else if (tab === 'tokens') body = await tokensTab();
  else if (tab === 'audit') body = await auditTab(query);
  else body = await tenantsTab();
  return h('section', {}, h('h1', {}, t('admin.title')), tabs, body);
}

const slug = /^[a-z0-9][a-z0-9-]{0,62}$/;

function field(id, label, input, help) {
  input.id = id;
  if (help) input.setAttribute('aria-describedby', id + '-help');
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    help ? h('p', { class: 'help', id: id + '-help' }, help) : null);
}

async function tenantsTab() {
  const [tenants, matrices] = await Promise.all([get('/api/v1/tenants'), get('/api/v1/matrices')]);
  const contracts = (await Promise.all(tenants.map(x => get(path('tenants', x.id, 'contracts'))))).flat();
  const msg = h('p', { 'aria-live': 'polite', class: 'form-msg' });
  const tid = h('input', { required: true, autocomplete: 'off', spellcheck: 'false' });
  const tname = h('input', { required: true, autocomplete: 'off' });
  const tdomains = h('input', { autocomplete: 'off', spellcheck: 'false', placeholder: 'acme.example' });
  const tenantForm = h('form', { class: 'card', onsubmit: async e => {
    e.preventDefault();
    if (!slug.test(tid.value)) { msg.textContent = t('admin.bad_id'); tid.focus(); return; }
    try {
      const domains = tdomains.value.split(',').map(d => d.trim().toLowerCase()).filter(Boolean);
      await api('PUT', path('tenants', tid.value), { body: { name: tname.value, email_domains: domains } });
      announce(t('admin.tenant_saved', { id: tid.value }));
      go('#/admin/tenants');
    } catch (err) { msg.textContent = errorText(err); }
  } }, h('h3', {}, t('admin.tenant_new')),
    field('tenant-id', t('admin.tenant_id'), tid, t('admin.id_help')),
    field('tenant-name', t('admin.tenant_name'), tname),
    field('tenant-domains', t('admin.tenant_domains'), tdomains, t('admin.tenant_domains_help')),
    h('button', { type: 'submit' }, t('admin.save')), msg);

  // A contract: tenant, id, matrix, version, options (of that version), party.
  const cmsg = h('p', { 'aria-live': 'polite', class: 'form-msg' });
  const ctenant = h('select', {}, tenants.map(x => h('option', { value: x.id }, x.name)));
  const cid = h('input', { required: true, autocomplete: 'off', spellcheck: 'false', value: 'main' });
  const cmatrix = h('select', {}, matrices.map(m => h('option', { value: m.id }, m.id)));
  // The version: one of the matrix's, newest first (the latest chosen).
  const cversion = h('select', { required: true });
  const loadVersions = async () => {
    const m = matrices.find(x => x.id === cmatrix.value);
    if (!m) { put(cversion); return; }
    const versions = await get(path('matrices', m.id, 'versions'));
    put(cversion, [...versions].reverse().map(v => h('option', { value: String(v.version), selected: v.version === m.latest },
      t('matrices.version', { n: v.version }) + (v.version === m.latest ? ' ' + t('admin.version_latest') : ''))));
  };
  const cparty = h('select', {});
  const coptions = h('fieldset', { class: 'options-pick' }, h('legend', {}, t('admin.contract_options')));
  const loadVersion = async () => {
    try {
      const model = await get(path('matrices', cmatrix.value, 'versions', cversion.value) + '?format=json');
      put(cparty, model.parties.map(p => h('option', { value: p.id }, p.name)));
      put(coptions, h('legend', {}, t('admin.contract_options')), (model.options || []).length
        ? model.options.map(o => h('label', { class: 'check' },
          h('input', { type: 'checkbox', value: o.id }), ' ', o.id))
        : h('span', { class: 'muted' }, t('admin.no_options')));
    } catch (err) { cmsg.textContent = errorText(err); }
  };
  cmatrix.addEventListener('change', async () => {
    try { await loadVersions(); } catch (err) { cmsg.textContent = errorText(err); return; }
    loadVersion();
  });
  cversion.addEventListener('change', loadVersion);
  if (matrices.length && session.canEdit) {
    try { await loadVersions(); } catch (err) { cmsg.textContent = errorText(err); }
    loadVersion();
  }
  const contractForm = h('form', { class: 'card', onsubmit: async e => {
    e.preventDefault();
    if (!slug.test(cid.value)) { cmsg.textContent = t('admin.bad_id'); cid.focus(); return; }
    const options = [...coptions.querySelectorAll('input:checked')].map(x => x.value);
    try {
      await api('PUT', path('tenants', ctenant.value, 'contracts', cid.value), { body: {
        matrix: cmatrix.value, version: Number(cversion.value), options, party: cparty.value } });
      announce(t('admin.contract_saved', { id: cid.value }));
      go('#/admin/tenants');
    } catch (err) { cmsg.textContent = errorText(err); }
  } }, h('h3', {}, t('admin.contract_new')),
    tenants.length ? [
      field('contract-tenant', t('contracts.tenant'), ctenant),
      field('contract-id', t('contracts.contract'), cid, t('admin.id_help')),
      field('contract-matrix', t('contracts.matrix'), cmatrix),
      field('contract-version', t('history.version'), cversion),
      field('contract-party', t('admin.contract_party'), cparty, t('admin.contract_party_help')),
      coptions,
      h('button', { type: 'submit' }, t('admin.save')), cmsg] : h('p', { class: 'muted' }, t('admin.tenant_first')));

  return h('div', {},
    h('h2', {}, t('admin.tenants')),
    tenants.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('admin.tenant_id')),
        h('th', { scope: 'col' }, t('admin.tenant_name')), h('th', { scope: 'col' }, t('admin.tenant_domains')),
        h('th', { scope: 'col' }, t('contracts.title')))),
      h('tbody', {}, tenants.map(x => h('tr', { id: 'tenant-' + x.id }, h('td', {}, x.id),
        h('td', {}, x.name, ' ', h('a', { class: 'receivers-link', href: `#/tenants/${x.id}/receivers` }, t('nav.receivers')),
          ' ', h('a', { class: 'maintenance-link', href: `#/tenants/${x.id}/maintenance` }, t('nav.maintenance')),
          session.canEdit ? [' ', h('a', { class: 'people-link', href: `#/tenants/${x.id}/people` }, t('admin.people_link'))] : null),
        h('td', {}, (x.email_domains || []).join(', ') || '–'),
        h('td', {}, contracts.filter(c => c.tenant === x.id).map(c =>
          h('a', { class: 'chip', href: `#/tenants/${c.tenant}/contracts/${c.id}` },
            `${c.id} (${c.matrix} v${c.version})`)))))))) : h('p', { class: 'empty' }, t('admin.no_tenants')),
    session.canEdit ? h('div', { class: 'forms' }, tenantForm, contractForm) : null);
}

async function tokensTab() {
  const [tokens, tenants] = await Promise.all([get('/api/v1/tokens'), get('/api/v1/tenants')]);
  const msg = h('div', { 'aria-live': 'polite', id: 'token-created' });
  const role = h('select', {}, ['tenant', 'viewer', 'editor', 'admin', 'ingest'].map(r => h('option', { value: r }, t('role.name.' + r))));
  const tenant = h('select', {}, h('option', { value: '' }, '–'), tenants.map(x => h('option', { value: x.id }, x.name)));
  const tenantName = id => (tenants.find(x => x.id === id) || { name: id }).name;
  const tokenName = id => (tokens.find(x => x.id === id) || {}).name || id;
  const name = h('input', { required: true, autocomplete: 'off' });
  const form = h('form', { class: 'card', onsubmit: async e => {
    e.preventDefault();
    const body = { role: role.value, name: name.value || role.value };
    if (tenant.value) body.tenant = tenant.value;
    try {
      const r = await api('POST', '/api/v1/tokens', { body });
      const secret = h('input', { id: 'new-token', readonly: true, value: r.token, class: 'secret' });
      const fresh = await tokensTab();
      const created = fresh.querySelector('#token-created');
      put(created, h('div', { class: 'card once', role: 'alert' },
        h('p', {}, h('strong', {}, t('tokens.once'))),
        h('label', { for: 'new-token' }, t('tokens.secret', { id: r.id })), secret,
        h('button', { type: 'button', onclick: async () => {
          secret.select();
          try { await navigator.clipboard.writeText(r.token); announce(t('tokens.copied')); } catch { /* selected */ }
        } }, t('tokens.copy'))));
      swap('tokens-tab', fresh);
      secret.focus();
      secret.select();
    } catch (err) { put(msg, h('p', { class: 'error', role: 'alert' }, errorText(err))); }
  } }, h('h3', {}, t('tokens.new')),
    field('token-role', t('tokens.role'), role),
    field('token-tenant', t('tokens.tenant'), tenant, t('tokens.tenant_help')),
    field('token-name', t('tokens.name'), name),
    h('button', { type: 'submit' }, t('tokens.create')));
  return h('div', { id: 'tokens-tab' },
    msg,
    h('h2', {}, t('admin.tab.tokens')),
    // By name (the id as the tooltip, and in the screen reader's label of Revoke); on a
    // phone each token is a card (table.stack), its Revoke button in sight.
    h('div', { class: 'table-wrap' }, h('table', { class: 'list stack tokens' },
      h('thead', {}, h('tr', {}, ['tokens.name', 'tokens.role', 'tokens.tenant', 'tokens.created', 'tokens.state']
        .map(k => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, tokens.map(x => h('tr', { id: 'token-' + x.id, class: x.revoked ? 'revoked' : null },
        h('td', { 'data-label': t('tokens.name') }, h('span', { class: 'token-name', title: x.id }, x.name || x.id)),
        h('td', { 'data-label': t('tokens.role') }, t('role.name.' + x.role)),
        h('td', { 'data-label': t('tokens.tenant') }, x.tenant ? tenantName(x.tenant) : '–'),
        h('td', { 'data-label': t('tokens.created') }, date(x.created),
          x.by ? [h('br'), h('small', { title: x.by }, t('tokens.by', { name: tokenName(x.by) }))] : null),
        h('td', { 'data-label': t('tokens.state') }, x.revoked ? t('tokens.revoked', { at: date(x.revoked) })
          : h('button', { type: 'button', class: 'danger', 'aria-label': t('tokens.revoke_label', { name: x.name || x.id }),
            onclick: async () => {
              if (!window.confirm(t('tokens.confirm', { name: x.name || x.id }))) return;
              try {
                await api('DELETE', path('tokens', x.id));
                announce(t('tokens.revoked', { at: '' }));
                swap('tokens-tab', await tokensTab());
              } catch (err) { put(msg, h('p', { class: 'error', role: 'alert' }, errorText(err))); }
            } }, t('tokens.revoke')))))))),
    form);
}

async function auditTab(query) {
  const tenant = query.get('tenant') || '';
  const [entries, tenants] = await Promise.all([
    get('/api/v1/audit' + (tenant ? '?tenant=' + encodeURIComponent(tenant) : '')), get('/api/v1/tenants')]);
  const tenantName = id => (tenants.find(x => x.id === id) || { name: id }).name;
  const action = query.get('action') || '';
  const token = query.get('token') || '';
  const text = (query.get('q') || '').toLowerCase();
  const actions = [...new Set(entries.map(e => e.action))].sort();
  const shown = entries.filter(e => (!action || e.action === action) &&
    (!token || e.token === token || e.by === token) &&
    (!text || (e.target || '').toLowerCase().includes(text)));
  const ftenant = h('input', { value: tenant, autocomplete: 'off', spellcheck: 'false' });
  const faction = h('select', {}, h('option', { value: '' }, t('audit.any')),
    actions.map(a => h('option', { value: a, selected: a === action }, a)));
  const ftoken = h('input', { value: token, autocomplete: 'off', spellcheck: 'false' });
  const ftext = h('input', { value: query.get('q') || '', type: 'search', autocomplete: 'off' });
  const form = h('form', { class: 'filters', onsubmit: e => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (ftenant.value.trim()) p.set('tenant', ftenant.value.trim());
    if (faction.value) p.set('action', faction.value);
    if (ftoken.value.trim()) p.set('token', ftoken.value.trim());
    if (ftext.value.trim()) p.set('q', ftext.value.trim());
    go('#/admin/audit' + (p.toString() ? '?' + p : ''));
  } },
    field('audit-tenant', t('audit.tenant'), ftenant),
    field('audit-action', t('audit.action'), faction),
    field('audit-token', t('audit.token'), ftoken),
    field('audit-q', t('audit.target'), ftext),
    h('button', { type: 'submit' }, t('audit.filter')));
  return h('div', {},
    h('h2', {}, t('admin.tab.audit')),
    form,
    h('p', { class: 'muted', id: 'audit-count' }, t('audit.count', { n: shown.length, total: entries.length })),
    h('div', { class: 'table-wrap' }, h('table', { class: 'list audit' },
      h('thead', {}, h('tr', {}, ['audit.at', 'audit.by', 'audit.action', 'audit.target_col', 'audit.tenant']
        .map(k => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, shown.map(e => h('tr', {},
        h('td', {}, date(e.at)),
        // Who by name (the token's), its id as the tooltip; an id alone where there is no name.
        h('td', {}, e.by && e.by !== e.token ? h('span', { class: 'by', title: e.token }, e.by) : h('code', {}, e.token)),
        // The action and its target are identifiers (token.create, acme/main), not words.
        h('td', {}, h('code', {}, e.action)),
        h('td', {}, h('code', {}, e.target)), h('td', {}, e.tenant ? h('span', { title: e.tenant }, tenantName(e.tenant)) : '–')))))));
}
