// Requests to the provider (docs/portal.md, "Requests"): what a client asked for where its
// contract says nothing (the gray zone), followed by both sides. A client sees its own,
// with Withdraw, and its approver Accepts or Declines a quote; the provider sees every
// client's (the open ones first), with Quote, Decline and Mark done. Each request shows
// its history: the state, when, by whom and for whom.
import { api, get, path } from './api.js';
import { h, put } from './dom.js';
import { date, errorText, t } from './i18n.js';
import { session } from './session.js';
import { announce } from './app.js';

// The form a gray-zone answer offers a client: what is needed (prefilled with the
// question), sent for the contract on the page.
export function askForm(tenant, contract, question) {
  const text = h('textarea', { id: 'request-text', rows: 3, maxlength: 2000, required: true }, question);
  const status = h('p', { id: 'request-status', role: 'status' });
  const send = h('button', { type: 'submit', class: 'primary' }, t('request.send'));
  const form = h('form', { class: 'card request-form', id: 'request-form', onsubmit: async e => {
    e.preventDefault();
    send.disabled = true;
    try {
      await api('POST', path('tenants', tenant, 'contracts', contract, 'requests'),
        { body: { text: text.value, question } });
      put(form, h('p', { class: 'ok', id: 'request-sent' }, t('request.sent'), ' ',
        h('a', { href: `#/tenants/${tenant}/requests` }, t('request.follow'))));
      announce(t('request.sent'));
    } catch (err) {
      send.disabled = false;
      put(status, h('span', { class: 'error', role: 'alert' }, errorText(err)));
    }
  } },
  h('p', { class: 'help' }, t('request.help')),
  h('label', { for: 'request-text' }, t('request.text')),
  text, h('div', { class: 'actions' }, send), status);
  return form;
}

// The offer under a gray-zone answer: a button that opens the form.
export function askOffer(tenant, contract, question) {
  const holder = h('div', { id: 'request-offer' });
  const open = h('button', { type: 'button', id: 'request-ask', onclick: () => {
    const form = askForm(tenant, contract, question);
    put(holder, form);
    form.querySelector('textarea').focus();
  } }, t('request.ask'));
  return put(holder, open);
}

// #/tenants/T/requests (a client's, or one client's for the provider) and #/requests (the
// provider: every client's).
export async function requestsPage([tenant], query) {
  const all = !tenant;
  const openOnly = all && (!query || query.get('all') !== '1');
  const list = await get(all ? '/api/v1/requests' + (openOnly ? '?state=open' : '')
    : path('tenants', tenant, 'requests'));
  const open = list.filter(r => r.open).length;
  const section = h('section', { class: 'requests' },
    h('h1', {}, t(session.provider ? 'requests.title_provider' : 'requests.title')),
    h('p', { class: 'meta', id: 'requests-count' }, t('requests.count', { n: open })),
    all ? h('p', {}, h('a', { href: openOnly ? '#/requests?all=1' : '#/requests' },
      t(openOnly ? 'requests.show_all' : 'requests.show_open'))) : null,
    list.length === 0 ? h('p', { class: 'card empty', id: 'requests-empty' },
      t(session.provider ? 'requests.none_provider' : 'requests.none')) : null,
    h('ol', { class: 'request-list' }, list.map(r => h('li', {}, requestCard(r)))));
  return section;
}

function who(step) {
  return step.org ? t('request.by_org', { by: step.by, org: step.org }) : t('request.by_provider', { by: step.by });
}

function requestCard(r) {
  const card = h('article', { class: 'card request state-' + r.state, id: 'request-' + r.id, 'aria-labelledby': 'request-title-' + r.id });
  const status = h('p', { role: 'status', class: 'request-status' });
  const move = async (state, extra = {}) => {
    try {
      const next = await api('POST', path('tenants', r.tenant, 'requests', r.id, 'state'),
        { body: { state, from: r.state, ...extra } });
      card.replaceWith(requestCard(next));
      announce(t('request.moved', { state: t('request.state.' + state) }));
    } catch (err) {
      put(status, h('span', { class: 'error', role: 'alert' }, errorText(err)));
    }
  };
  const actions = (r.actions || []).map(a => {
    if (a === 'quoted') {
      const quote = h('input', { id: 'quote-' + r.id, type: 'text', maxlength: 1000, class: 'quote-input' });
      return h('form', { class: 'quote-form', onsubmit: e => { e.preventDefault(); move('quoted', { quote: quote.value }); } },
        h('label', { for: 'quote-' + r.id }, t('request.quote_label')), quote,
        h('button', { type: 'submit', class: 'primary', 'data-action': 'quoted' }, t('request.action.quoted')));
    }
    return h('button', { type: 'button', 'data-action': a, class: a === 'accepted' || a === 'done' ? 'primary' : a === 'declined' || a === 'withdrawn' ? 'danger' : null,
      onclick: () => move(a) }, t('request.action.' + a));
  });
  return put(card,
    h('h2', { id: 'request-title-' + r.id },
      h('span', { class: 'request-state', 'data-state': r.state }, t('request.state.' + r.state)), ' ',
      h('span', { class: 'request-text user-text' }, r.text)),
    h('p', { class: 'meta' }, session.provider ? [h('strong', {}, r.tenant_name), ' · '] : null,
      h('a', { href: `#/tenants/${r.tenant}/contracts/${r.contract}` }, t('request.contract', { contract: r.contract }))),
    r.question ? h('p', { class: 'muted' }, t('request.question'), ' ', h('q', { class: 'user-text' }, r.question)) : null,
    r.quote ? h('p', { class: 'request-quote' }, h('strong', {}, t('request.quote')), ' ', h('span', { class: 'user-text' }, r.quote)) : null,
    h('h3', {}, t('request.history')),
    h('ol', { class: 'request-history' }, r.history.map(s => h('li', { 'data-state': s.state },
      h('strong', {}, t('request.state.' + s.state)), ' · ', h('time', { datetime: s.at }, date(s.at)), ' · ', who(s)))),
    actions.length ? h('div', { class: 'actions request-actions' }, actions) : null,
    status);
}
