// A client's receivers (docs/routing.md, "Receiver types"): for each party of its
// contracts' matrix, where its deliveries go (secrets never shown again), a form to set it
// (type, address, language, a fallback after failures), its health (last success, last
// failure, circuit), "Send a test", which says whether the receiver took the message, and
// the party's working hours under each contract (pages-oncall.js). A client's approver
// sets its own party's; the provider's editors any party's.
import { api, get, path } from './api.js';
import { h, put } from './dom.js';
import { date, errorText, t } from './i18n.js';
import { session } from './session.js';
import { announce, go } from './app.js';
import { oncallSection } from './pages-oncall.js';
import { deliveryError } from './pages-events.js';

const TYPES = ['webhook', 'slack', 'mattermost', 'teams', 'pagerduty', 'email'];

// The receiver's health in words: its latest deliveries, last success, last failure and
// why, and whether its circuit is open (deliveries wait).
function health(x) {
  if (!x) return null;
  return h('dl', { class: 'health' },
    h('dt', {}, t('receivers.health.recent')),
    h('dd', {}, t('receivers.health.counts', { recent: x.recent, sent: x.sent, pending: x.pending, dead: x.dead })),
    h('dt', {}, t('receivers.health.last_success')),
    h('dd', {}, x.last_success ? date(x.last_success) : t('receivers.health.never')),
    h('dt', {}, t('receivers.health.last_failure')),
    h('dd', {}, x.last_failure ? [t('receivers.health.failure', { at: date(x.last_failure.at) }), ' ', deliveryError(x.last_failure.code, x.last_failure.error)] : t('receivers.health.never')),
    h('dt', {}, t('receivers.health.circuit')),
    h('dd', { class: x.circuit === 'open' ? 'error' : null },
      x.circuit === 'open' ? t('receivers.health.open', { until: date(x.circuit_until) }) : t('receivers.health.closed')));
}

export async function receiversPage([tenant]) {
  const contracts = await get(path('tenants', tenant, 'contracts'));
  const receivers = await get(path('tenants', tenant, 'receivers'));
  const oncall = await Promise.all(contracts.map(c => get(path('tenants', tenant, 'contracts', c.id, 'oncall'))));
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
    // A fallback: another receiver, after so many failed attempts (or while the circuit
    // is open).
    const fbType = h('select', { id: 'receiver-fallback-type-' + p.id },
      h('option', { value: '' }, t('receivers.fallback_none')),
      TYPES.map(x => h('option', { value: x, selected: r && r.fallback && r.fallback.type === x }, t('receivers.type.' + x))));
    const fbTarget = h('input', { id: 'receiver-fallback-target-' + p.id, autocomplete: 'off', spellcheck: 'false' });
    const fbAfter = h('input', { id: 'receiver-fallback-after-' + p.id, type: 'number', min: 1, max: 20, value: r && r.fallback_after ? r.fallback_after : 3 });
    const addressOf = (kind, value, into) => {
      if (kind === 'email') into.to = value;
      else if (kind === 'pagerduty') into.routing_key = value;
      else into.url = value;
      return into;
    };
    // A webhook's signing secret, a PagerDuty receiver's webhook secret: write-only, so
    // set anew with each save (left empty: none).
    const secret = h('input', { id: 'receiver-secret-' + p.id, type: 'password', autocomplete: 'new-password' });
    const secretField = h('div', { class: 'field' }, h('label', { for: secret.id }, t('receivers.secret')), secret,
      h('p', { class: 'help', id: secret.id + '-help' }, t('receivers.secret_help')));
    secret.setAttribute('aria-describedby', secret.id + '-help');
    const syncSecret = () => { secretField.hidden = type.value !== 'webhook' && type.value !== 'pagerduty'; };
    type.addEventListener('change', syncSecret);
    syncSecret();
    const form = h('form', { class: 'card', onsubmit: async e => {
      e.preventDefault();
      const body = addressOf(type.value, target.value, { type: type.value, lang: lang.value });
      if (secret.value && type.value === 'webhook') body.secret = secret.value;
      if (secret.value && type.value === 'pagerduty') body.webhook_secret = secret.value;
      if (fbType.value) {
        body.fallback = addressOf(fbType.value, fbTarget.value, { type: fbType.value, lang: lang.value });
        body.fallback_after = Number(fbAfter.value);
      }
      try {
        await api('PUT', path('tenants', tenant, 'receivers', p.id), { body });
        announce(t('receivers.saved', { party: p.name }));
        go(`#/tenants/${tenant}/receivers`);
      } catch (err) { put(out, h('span', { class: 'error', role: 'alert' }, errorText(err))); }
    } },
      h('h3', {}, t('receivers.set')),
      h('div', { class: 'field' }, h('label', { for: type.id }, t('receivers.type')), type),
      h('div', { class: 'field' }, h('label', { for: target.id }, t('receivers.target')), target,
        h('p', { class: 'help' }, t('receivers.target_help'))),
      secretField,
      h('div', { class: 'field' }, h('label', { for: lang.id }, t('receivers.lang')), lang),
      h('fieldset', {}, h('legend', {}, t('receivers.fallback_title')),
        h('div', { class: 'field' }, h('label', { for: fbType.id }, t('receivers.type')), fbType),
        h('div', { class: 'field' }, h('label', { for: fbTarget.id }, t('receivers.target')), fbTarget),
        h('div', { class: 'field' }, h('label', { for: fbAfter.id }, t('receivers.fallback_after')), fbAfter,
          h('p', { class: 'help' }, t('receivers.fallback_help')))),
      h('button', { type: 'submit', class: 'primary' }, t('receivers.save')));
    const test = r && mayEdit(p) ? h('button', { type: 'button', id: 'receiver-test-' + p.id, onclick: async () => {
      try {
        const res = await api('POST', path('tenants', tenant, 'receivers', p.id, 'test'), { body: {} });
        put(out, res.ok ? h('span', { class: 'ok' }, t('receivers.test_ok'))
          : h('span', { class: 'error', role: 'alert' }, t('receivers.test_failed', { why: res.error || '' })));
      } catch (err) { put(out, h('span', { class: 'error', role: 'alert' }, errorText(err))); }
    } }, t('receivers.test')) : null;
    return h('section', { class: 'receiver', id: 'receiver-' + p.id },
      h('h2', {}, p.name),
      r ? h('p', {}, t('receivers.current', { type: t('receivers.type.' + r.type), target: r.url || r.to || '' }),
        r.fallback ? ' ' + t('receivers.fallback', { type: t('receivers.type.' + r.fallback.type) }) : '')
        : h('p', { class: 'muted' }, t('receivers.none')),
      r ? health(r.health) : null,
      test, out,
      // A templated receiver is set through the API (its templates have no form here):
      // the form would turn it into another type.
      !mayEdit(p) ? null : r && !TYPES.includes(r.type) ? h('p', { class: 'muted' }, t('receivers.api_only')) : form,
      contracts.map((c, i) => oncallSection(tenant, c.id, p, oncall[i].find(o => o.party === p.id), mayEdit(p))));
  };
  return h('section', {},
    h('h1', {}, t('receivers.title', { tenant })),
    h('p', { class: 'muted' }, t('receivers.intro')),
    shown.map(row));
}
