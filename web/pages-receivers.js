// A client's receivers (docs/routing.md, "Receiver types"): for each party of its
// contracts' matrix, where its deliveries go (secrets never shown again), a form to set it
// (type, address, language) and "Send a test", which says whether the receiver took the
// message. A client's approver sets its own party's; the provider's editors any party's.
import { api, get, path } from './api.js';
import { h, put } from './dom.js';
import { t } from './i18n.js';
import { session } from './session.js';
import { announce, go } from './app.js';

const TYPES = ['webhook', 'slack', 'mattermost', 'teams', 'pagerduty', 'email'];

export async function receiversPage([tenant]) {
  const contracts = await get(path('tenants', tenant, 'contracts'));
  const receivers = await get(path('tenants', tenant, 'receivers'));
  const parties = contracts.length
    ? (await get(path('tenants', tenant, 'contracts', contracts[0].id, 'matrix') + '?format=json')).parties
    : [];
  const own = new Set(contracts.map(c => String(c.party).toLowerCase().replace(/\s+/g, '-')));
  const mayEdit = p => session.canEdit || (session.canSetReceivers && own.has(p.id));
  const shown = parties.filter(p => session.provider || own.has(p.id));
  const row = p => {
    const r = receivers.find(x => x.party === p.id);
    const out = h('p', { 'aria-live': 'polite', class: 'form-msg', id: 'receiver-msg-' + p.id });
    const type = h('select', { id: 'receiver-type-' + p.id }, TYPES.map(x => h('option', { value: x, selected: r && r.type === x }, t('receivers.type.' + x))));
    const target = h('input', { id: 'receiver-target-' + p.id, autocomplete: 'off', spellcheck: 'false', required: true });
    const lang = h('select', { id: 'receiver-lang-' + p.id }, ['fr', 'en'].map(x => h('option', { value: x, selected: (r ? r.lang : 'fr') === x }, x)));
    const form = h('form', { class: 'card', onsubmit: async e => {
      e.preventDefault();
      const body = { type: type.value, lang: lang.value };
      if (type.value === 'email') body.to = target.value;
      else if (type.value === 'pagerduty') body.routing_key = target.value;
      else body.url = target.value;
      try {
        await api('PUT', path('tenants', tenant, 'receivers', p.id), { body });
        announce(t('receivers.saved', { party: p.name }));
        go(`#/tenants/${tenant}/receivers`);
      } catch (err) { put(out, h('span', { class: 'error', role: 'alert' }, err.message)); }
    } },
      h('h3', {}, t('receivers.set')),
      h('div', { class: 'field' }, h('label', { for: type.id }, t('receivers.type')), type),
      h('div', { class: 'field' }, h('label', { for: target.id }, t('receivers.target')), target,
        h('p', { class: 'help' }, t('receivers.target_help'))),
      h('div', { class: 'field' }, h('label', { for: lang.id }, t('receivers.lang')), lang),
      h('button', { type: 'submit', class: 'primary' }, t('receivers.save')));
    const test = r && mayEdit(p) ? h('button', { type: 'button', id: 'receiver-test-' + p.id, onclick: async () => {
      try {
        const res = await api('POST', path('tenants', tenant, 'receivers', p.id, 'test'), { body: {} });
        put(out, res.ok ? h('span', { class: 'ok' }, t('receivers.test_ok'))
          : h('span', { class: 'error', role: 'alert' }, t('receivers.test_failed', { why: res.error || '' })));
      } catch (err) { put(out, h('span', { class: 'error', role: 'alert' }, err.message)); }
    } }, t('receivers.test')) : null;
    return h('section', { class: 'receiver', id: 'receiver-' + p.id },
      h('h2', {}, p.name),
      r ? h('p', {}, t('receivers.current', { type: t('receivers.type.' + r.type), target: r.url || r.to || '' }),
        r.fallback ? ' ' + t('receivers.fallback', { type: t('receivers.type.' + r.fallback.type) }) : '')
        : h('p', { class: 'muted' }, t('receivers.none')),
      test, out, mayEdit(p) ? form : null);
  };
  return h('section', {},
    h('h1', {}, t('receivers.title', { tenant })),
    h('p', { class: 'muted' }, t('receivers.intro')),
    shown.map(row));
}
