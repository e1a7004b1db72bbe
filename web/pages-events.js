// The events console: the alerts routed for a tenant's contracts (DESIGN.md "Routing"),
// each with its summary, description, runbook and source links (from the alert's
// annotations), and its timeline: received; each delivery to whom, in which role, its
// state and why (held by a maintenance window or outside working hours until when, the
// next retry and the last error as the viewer may read it, sent through the fallback,
// the n-th repeat), the escalation due "in 12 min", acknowledged by whom and when,
// resolved. Filters by status (the API's), party, activity and severity (on the page).
// Live: a person's page listens to the server-sent events of the tenant's events and
// draws the list again when they change; a token's page (EventSource cannot send its
// header) asks every 5 s. The Acknowledge button only where the API says
// can_acknowledge, and never on a resolved event.
import { ApiError, api, get, path } from './api.js';
import { h, put } from './dom.js';
import { date, errorText, has, language, t } from './i18n.js';
import { session } from './session.js';
import { announce } from './app.js';
import { roleBadges } from './render.js';

let live = null;  // the page's EventSource or timer, closed when the page changes

export function stopLive() {
  if (!live) return;
  if (live.close) live.close(); else clearInterval(live);
  live = null;
}

// "in 12 min", "dans 2 h", "il y a 3 min".
function relative(iso) {
  const ms = Date.parse(iso) - Date.now();
  if (Number.isNaN(ms)) return '';
  const f = new Intl.RelativeTimeFormat(language() === 'fr' ? 'fr' : 'en', { numeric: 'auto' });
  const abs = Math.abs(ms);
  if (abs < 60000) return f.format(Math.round(ms / 1000), 'second');
  if (abs < 3600000) return f.format(Math.round(ms / 60000), 'minute');
  if (abs < 86400000) return f.format(Math.round(ms / 3600000), 'hour');
  return f.format(Math.round(ms / 86400000), 'day');
}

const linkable = u => typeof u === 'string' && /^https?:\/\//.test(u) && u.length < 2000;

export async function eventsPage([tenant], query) {
  stopLive();
  const status = query.get('status') || '';
  // The tenant's contracts first: another tenant's (or a missing one) is the 404 page,
  // not the empty state a server without alert routing gives.
  await get(path('tenants', tenant, 'contracts'));
  const load = async () => {
    try {
      return await get(path('tenants', tenant, 'events') + (status ? '?status=' + encodeURIComponent(status) : ''));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      return null;
    }
  };
  const events = await load();
  const head = [h('h1', {}, t('events.title', { tenant })), h('p', { class: 'lead' }, t('events.intro'))];
  if (events === null) {
    return h('section', {}, head, h('div', { class: 'card empty', id: 'events-empty' },
      h('h2', {}, t('events.unavailable')), h('p', {}, t('events.unavailable_text'))));
  }
  const want = { party: query.get('party') || '', activity: query.get('activity') || '', severity: query.get('severity') || '' };
  const listBox = h('div', { id: 'events-list' });
  const liveNote = h('p', { class: 'muted', id: 'events-live', 'aria-live': 'polite' });
  let current = events;
  const options = list => {
    const parties = new Map(), activities = new Map(), severities = new Set();
    for (const e of list) {
      for (const d of e.deliveries || []) parties.set(d.party, d.name || d.party);
      if (e.activity) activities.set(e.activity.id, e.activity.title || e.activity.id);
      if (e.labels && e.labels.severity) severities.add(e.labels.severity);
    }
    return { parties, activities, severities };
  };
  const draw = () => {
    const shown = current.filter(e =>
      (!want.party || (e.deliveries || []).some(d => d.party === want.party)) &&
      (!want.activity || (e.activity && e.activity.id === want.activity)) &&
      (!want.severity || (e.labels || {}).severity === want.severity));
    put(listBox, !current.length ? h('p', { class: 'empty', id: 'events-empty' }, t('events.none'))
      : !shown.length ? h('p', { class: 'empty', id: 'events-empty' }, t('events.none_filtered'))
        : h('ul', { class: 'events' }, shown.map(e => eventCard(tenant, e))));
  };
  const select = (id, label, all, entries, value) => h('span', { class: 'filter' },
    h('label', { for: id }, label), ' ',
    h('select', { id }, h('option', { value: '' }, all), entries.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
  // The filters offer what the events hold (drawn again when new ones come).
  const buildFilter = () => {
    const { parties, activities, severities } = options(current);
    return h('form', { class: 'inline filters', onsubmit: e => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of ['status', 'party', 'activity', 'severity']) {
      const v = e.target.querySelector('#event-' + k).value;
      if (v) p.set(k, v);
    }
    location.hash = `#/tenants/${tenant}/events` + (p.toString() ? '?' + p : '');
  } },
    select('event-status', t('events.status'), t('events.all'), ['firing', 'resolved'].map(v => [v, t('events.status.' + v)]), status), ' ',
    select('event-party', t('events.party'), t('events.all'), [...parties], want.party), ' ',
    select('event-activity', t('events.activity_filter'), t('events.all'), [...activities], want.activity), ' ',
    select('event-severity', t('events.severity'), t('events.all'), [...severities].sort().map(v => [v, v]), want.severity), ' ',
    h('button', { type: 'submit' }, t('events.filter')));
  };
  const filterBox = h('div', { class: 'filter-box' }, buildFilter());
  draw();
  // Live updates: the list drawn again when the server says the events changed.
  const refresh = async () => {
    if (!document.body.contains(listBox)) return stopLive();
    const next = await load().catch(() => null);
    if (!next || JSON.stringify(next) === JSON.stringify(current)) return;
    current = next;
    if (!filterBox.contains(document.activeElement)) put(filterBox, buildFilter());
    draw();
    liveNote.textContent = t('events.updated', { at: new Date().toLocaleTimeString(language() === 'fr' ? 'fr-FR' : 'en-GB') });
  };
  if (session.isPerson && window.EventSource) {
    const source = new EventSource(path('tenants', tenant, 'events', 'stream'));
    source.addEventListener('events', refresh);
    live = source;
  } else {
    live = setInterval(refresh, 5000);
  }
  return h('section', {}, head, filterBox, liveNote, listBox);
}

// A delivery's last error in the page's language (its code); the provider's staff also
// read the server's own words, marked as English.
export function deliveryError(code, detail) {
  const said = code && has('events.error.' + code) ? t('events.error.' + code) : null;
  if (!said) return h('span', { lang: 'en' }, detail);
  return session.role !== 'tenant' && detail ? [said, ' ', h('code', { class: 'detail', lang: 'en' }, detail)] : said;
}

// One line of a delivery's state: what it is, and why.
function deliveryState(d) {
  const parts = [d.state ? t('events.state.' + d.state) : '–'];
  if (d.attempts) parts[0] += ` (${d.attempts})`;
  if (d.held) {
    parts.push(t(d.held.reason === 'maintenance' ? 'events.held_maintenance' : 'events.held_hours',
      { until: date(d.held.until), in: relative(d.held.until) }));
  } else if (d.state === 'pending' && d.next_attempt) {
    parts.push(t(d.kind === 'escalation' && !d.attempts ? 'events.escalation_due' : 'events.next_attempt',
      { in: relative(d.next_attempt) }));
  }
  if (d.last_error && d.state !== 'sent') parts.push(deliveryError(d.last_error_code, d.last_error));
  if (d.via === 'fallback') parts.push(t('events.via_fallback'));
  if (d.repeat) parts.push(t('events.repeat', { n: d.repeat }));
  if (d.sent_at) parts.push(date(d.sent_at));
  return parts.flatMap((p, i) => (i ? [' · ', p] : [p]));
}

function eventCard(tenant, e) {
  const labels = e.labels || {};
  const notes = e.annotations || {};
  const activity = e.activity || null;
  const ackOut = h('span', { 'aria-live': 'polite' });
  // The server says who may acknowledge (can_acknowledge): the parties Responsible or
  // Accountable for the event's activity under the contract, and the provider. Anyone
  // else gets no button, only a note; a 403 that comes anyway (the contract changed since
  // the page was drawn) is shown as the server words it, and the button goes. A resolved
  // event is acknowledged by nobody.
  const ack = e.acknowledged
    ? h('span', { class: 'acked' }, t('events.acknowledged_by', { by: e.acknowledged_by || '?', at: date(e.acknowledged_at) }))
    : e.status === 'resolved' ? null
      : e.can_acknowledge !== true ? h('span', { class: 'muted ack-denied' }, t('events.ack_denied'))
        : h('button', { type: 'button', class: 'primary', onclick: async ev => {
          ev.target.disabled = true;
          try {
            const after = await api('POST', path('tenants', tenant, 'events', e.id, 'ack'), { body: {} });
            ev.target.replaceWith(h('span', { class: 'acked' },
              t('events.acknowledged_by', { by: after.acknowledged_by || '?', at: date(after.acknowledged_at) })));
            announce(t('events.acknowledged'));
          } catch (err) {
            if (err instanceof ApiError && err.status === 403) ev.target.remove();
            else ev.target.disabled = false;
            put(ackOut, h('span', { class: 'error', role: 'alert' }, errorText(err)));
          }
        } }, t('events.ack'));
  const links = [
    linkable(notes.runbook_url) ? h('a', { href: notes.runbook_url, rel: 'noopener noreferrer', target: '_blank' }, t('events.runbook')) : null,
    linkable(e.generatorURL) ? h('a', { href: e.generatorURL, rel: 'noopener noreferrer', target: '_blank' }, t('events.source')) : null,
  ].filter(Boolean);
  return h('li', { class: 'card event status-' + (e.status || 'unknown'), id: 'event-' + e.id },
    h('h2', {},
      h('span', { class: 'ev-status' }, t('events.status.' + (e.status || 'firing'))), ' ',
      labels.alertname || e.fingerprint),
    h('p', { class: 'muted' }, date(e.starts_at || e.startsAt || e.created || ''), ' ',
      Object.entries(labels).filter(([k]) => k !== 'alertname').map(([k, v]) => h('code', { class: 'label' }, `${k}=${v}`))),
    notes.summary ? h('p', { class: 'summary' }, notes.summary) : null,
    notes.description ? h('p', { class: 'description' }, notes.description) : null,
    links.length ? h('p', { class: 'links' }, links.flatMap((a, i) => i ? [' · ', a] : [a])) : null,
    e.maintenance ? h('p', { class: 'banner maintenance' }, t('events.in_maintenance', { reason: e.maintenance.reason, until: date(e.maintenance.ends) })) : null,
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
        h('td', { class: 'delivery-' + (d.state || '') }, deliveryState(d)))))) : null,
    h('p', { class: 'muted timeline' }, t('events.received', { at: date(e.created) }),
      e.repeats ? ' · ' + t('events.repeats', { n: e.repeats }) : '',
      e.status === 'resolved' ? ' · ' + t('events.resolved_at', { at: date(e.endsAt || e.last_seen) }) : ''),
    h('div', { class: 'actions' }, ack, ackOut));
}
