// Events: the alerts routed for a tenant's contracts (DESIGN.md "Routing"), to whom, in
// which role, delivery state (pending, sent, dead, cancelled; the last error as its
// title), and an acknowledge button where the caller may acknowledge. A server without
// alert routing answers 404 on the route: the page then says so (an empty state),
// nothing else.
import { ApiError, api, get, path } from './api.js';
import { h, put } from './dom.js';
import { date, t } from './i18n.js';
import { announce } from './app.js';
import { roleBadges } from './render.js';

export async function eventsPage([tenant], query) {
  const status = query.get('status') || '';
  // The tenant's contracts first: another tenant's (or a missing one) is the 404 page,
  // not the empty state a server without alert routing gives.
  await get(path('tenants', tenant, 'contracts'));
  let events = null;
  try {
    events = await get(path('tenants', tenant, 'events') + (status ? '?status=' + encodeURIComponent(status) : ''));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  const filter = h('form', { class: 'inline', onsubmit: e => {
    e.preventDefault();
    const v = e.target.querySelector('select').value;
    location.hash = `#/tenants/${tenant}/events` + (v ? '?status=' + v : '');
  } },
    h('label', { for: 'event-status' }, t('events.status')),
    h('select', { id: 'event-status' }, ['', 'firing', 'resolved'].map(v =>
      h('option', { value: v, selected: v === status }, v ? t('events.status.' + v) : t('events.all')))),
    h('button', { type: 'submit' }, t('events.filter')));
  const head = [h('h1', {}, t('events.title', { tenant })), h('p', { class: 'lead' }, t('events.intro'))];
  if (events === null) {
    return h('section', {}, head, h('div', { class: 'card empty', id: 'events-empty' },
      h('h2', {}, t('events.unavailable')), h('p', {}, t('events.unavailable_text'))));
  }
  if (!events.length) {
    return h('section', {}, head, filter, h('p', { class: 'empty', id: 'events-empty' }, t('events.none')));
  }
  return h('section', {}, head, filter,
    h('ul', { class: 'events' }, events.map(e => eventCard(tenant, e))));
}

function eventCard(tenant, e) {
  const labels = e.labels || {};
  const activity = e.activity || null;
  const ackOut = h('span', { 'aria-live': 'polite' });
  // The server says who may acknowledge (can_acknowledge): the parties Responsible or
  // Accountable for the event's activity under the contract, and the provider. Anyone
  // else gets no button, only a note; a 403 that comes anyway (the contract changed since
  // the page was drawn) is shown as the server words it, and the button goes.
  const ack = e.acknowledged ? h('span', { class: 'acked' }, t('events.acknowledged'))
    : e.can_acknowledge !== true ? h('span', { class: 'muted ack-denied' }, t('events.ack_denied'))
    : h('button', { type: 'button', class: 'primary', onclick: async ev => {
      ev.target.disabled = true;
      try {
        await api('POST', path('tenants', tenant, 'events', e.id, 'ack'), { body: {} });
        ev.target.replaceWith(h('span', { class: 'acked' }, t('events.acknowledged')));
        announce(t('events.acknowledged'));
      } catch (err) {
        if (err instanceof ApiError && err.status === 403) ev.target.remove();
        else ev.target.disabled = false;
        put(ackOut, h('span', { class: 'error', role: 'alert' }, err.message));
      }
    } }, t('events.ack'));
  return h('li', { class: 'card event status-' + (e.status || 'unknown') },
    h('h2', {},
      h('span', { class: 'ev-status' }, t('events.status.' + (e.status || 'firing'))), ' ',
      labels.alertname || e.fingerprint),
    h('p', { class: 'muted' }, date(e.starts_at || e.startsAt || e.created || ''), ' ',
      Object.entries(labels).filter(([k]) => k !== 'alertname').map(([k, v]) => h('code', { class: 'label' }, `${k}=${v}`))),
    e.gray_zone ? h('p', { class: 'gray' }, t('events.gray_zone'))
      : activity ? h('p', {}, t('events.activity'), ' ', h('strong', {}, activity.title || activity.id || String(activity)),
        activity.section ? ' — ' + activity.section : '') : null,
    (e.deliveries || []).length ? h('table', { class: 'list deliveries' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('events.party')), h('th', { scope: 'col' }, t('events.role')),
        h('th', { scope: 'col' }, t('events.kind')), h('th', { scope: 'col' }, t('events.delivery')))),
      h('tbody', {}, e.deliveries.map(d => h('tr', {},
        h('td', {}, d.name || d.party || '–'), h('td', {}, d.role ? roleBadges(d.role) : '–'),
        h('td', {}, d.kind ? t('events.kind.' + d.kind) : '–'),
        h('td', { class: 'delivery-' + (d.state || ''), title: d.last_error || '' },
          d.state ? t('events.state.' + d.state) : '–', d.attempts ? ` (${d.attempts})` : ''))))) : null,
    h('div', { class: 'actions' }, ack, ackOut));
}
