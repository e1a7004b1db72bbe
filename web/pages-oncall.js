// On call (docs/routing.md, "Working hours, repeats and fallbacks" and "Maintenance
// windows"): a party's working hours, what waits for them and what pages at once, when it
// escalates and repeats, set per contract by the party's own side; and a contract's
// maintenance windows, declared, listed and ended early.
import { api, get, path } from './api.js';
import { h, put, swap } from './dom.js';
import { date, errorText, t } from './i18n.js';
import { session } from './session.js';
import { announce } from './app.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function field(id, label, input, help) {
  input.id = id;
  if (help) input.setAttribute('aria-describedby', id + '-help');
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    help ? h('p', { class: 'help', id: id + '-help' }, help) : null);
}

function select(values, current, label) {
  return h('select', {}, values.map(v => h('option', { value: v, selected: v === current }, label(v))));
}

// What the rules say, in words: "Europe/Paris; Mon 09:00-18:00 ...; outside hours: ...".
function summary(o) {
  const r = o.rules || {};
  const parts = [r.timezone || 'UTC'];
  parts.push(r.hours
    ? DAYS.filter(d => r.hours[d]).map(d => `${t('oncall.day.' + d)} ${[].concat(r.hours[d]).join(', ')}`).join(' · ')
    : t('oncall.always'));
  if (r.repeat_after) parts.push(t('oncall.repeats_every', { after: r.repeat_after }));
  return parts.join(' — ');
}

// The form of one party's rules under one contract; `current` is its entry of GET
// .../oncall (or undefined). The party's own side edits it, others read it.
export function oncallSection(tenant, contract, party, current, mayEdit) {
  const id = `oncall-${contract}-${party.id}`;
  const r = (current && current.rules) || {};
  const sev = r.severities || {};
  const msg = h('p', { 'aria-live': 'polite', class: 'form-msg', id: id + '-msg' });
  const state = current
    ? h('p', { id: id + '-state' }, summary(current), h('br'),
      current.in_hours_now ? t('oncall.in_hours') : t('oncall.out_of_hours', { next: date(current.next_working) }),
      ' ', h('small', { class: 'muted' }, t('oncall.set_by', { by: current.by, at: date(current.updated) })))
    : h('p', { class: 'muted', id: id + '-state' }, t('oncall.none'));
  if (!mayEdit) return h('div', { class: 'oncall', id }, h('h3', {}, t('oncall.title', { contract })), state);
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const tz = h('input', { value: r.timezone || 'Europe/Paris', list: id + '-zones', autocomplete: 'off', spellcheck: 'false' });
  const always = h('input', { type: 'checkbox', checked: !r.hours });
  const days = DAYS.map(d => h('input', {
    value: r.hours && r.hours[d] ? [].concat(r.hours[d]).join(', ') : '',
    placeholder: ['sat', 'sun'].includes(d) ? '' : '09:00-18:00', autocomplete: 'off', spellcheck: 'false',
  }));
  const dayFields = h('fieldset', { class: 'days' }, h('legend', {}, t('oncall.hours')),
    days.map((input, i) => field(`${id}-${DAYS[i]}`, t('oncall.day.' + DAYS[i]), input)),
    h('p', { class: 'help' }, t('oncall.hours_help')));
  const sync = () => { dayFields.hidden = always.checked; };
  always.addEventListener('change', sync);
  sync();
  const holidays = h('textarea', { rows: 3, spellcheck: 'false' }, (r.holidays || []).join('\n'));
  const rule = (name, dflt) => {
    const s = sev[name] || {};
    return {
      outside: select(['page', 'wait'], s.outside_hours || dflt, v => t('oncall.outside.' + v)),
      after: h('input', { value: s.escalate_after || '', placeholder: '15m', size: 6, autocomplete: 'off' }),
      count: select(['wall', 'working'], s.count || 'wall', v => t('oncall.count.' + v)),
    };
  };
  const critical = rule('critical', 'page');
  const others = rule('default', 'wait');
  const repeat = h('input', { value: r.repeat_after || '', placeholder: '30m', size: 6, autocomplete: 'off' });
  const ruleFields = (name, x) => h('fieldset', {}, h('legend', {}, t('oncall.severity.' + name)),
    field(`${id}-${name}-outside`, t('oncall.outside'), x.outside),
    field(`${id}-${name}-after`, t('oncall.escalate_after'), x.after, t('oncall.escalate_help')),
    field(`${id}-${name}-count`, t('oncall.count'), x.count));
  const redraw = async () => {
    const list = await get(path('tenants', tenant, 'contracts', contract, 'oncall'));
    swap(id, oncallSection(tenant, contract, party, list.find(o => o.party === party.id), mayEdit));
  };
  // What the form does not show (an iCalendar of holidays, rules for other severities)
  // is kept as stored.
  const body = () => {
    const out = { ...r, timezone: tz.value.trim() };
    delete out.hours;
    delete out.holidays;
    delete out.repeat_after;
    if (!always.checked) {
      out.hours = {};
      days.forEach((input, i) => {
        const ranges = input.value.split(',').map(s => s.trim()).filter(Boolean);
        if (ranges.length) out.hours[DAYS[i]] = ranges.length === 1 ? ranges[0] : ranges;
      });
    }
    const dates = holidays.value.split(/[\s,;]+/).filter(Boolean);
    if (dates.length) out.holidays = dates;
    const one = x => {
      const s = { outside_hours: x.outside.value };
      if (x.after.value.trim()) { s.escalate_after = x.after.value.trim(); s.count = x.count.value; }
      return s;
    };
    out.severities = { ...sev, critical: one(critical), default: one(others) };
    if (repeat.value.trim()) out.repeat_after = repeat.value.trim();
    return out;
  };
  const form = h('form', { class: 'card', onsubmit: async e => {
    e.preventDefault();
    try {
      await api('PUT', path('tenants', tenant, 'contracts', contract, 'oncall', party.id), { body: body() });
      await redraw();
      announce(t('oncall.saved', { party: party.name }));
    } catch (err) {
      const live = document.getElementById(id + '-msg');
      if (live) put(live, h('span', { class: 'error', role: 'alert' }, errorText(err)));
    }
  } },
    h('datalist', { id: id + '-zones' }, zones.map(z => h('option', { value: z }))),
    field(`${id}-tz`, t('oncall.timezone'), tz),
    h('div', { class: 'field check' }, always, ' ', h('label', { for: `${id}-always` }, t('oncall.always'))),
    dayFields,
    field(`${id}-holidays`, t('oncall.holidays'), holidays, t('oncall.holidays_help')),
    ruleFields('critical', critical), ruleFields('default', others),
    field(`${id}-repeat`, t('oncall.repeat_after'), repeat, t('oncall.repeat_help')),
    h('button', { type: 'submit', class: 'primary' }, t('oncall.save')), ' ',
    current ? h('button', { type: 'button', class: 'danger', onclick: async () => {
      try {
        await api('DELETE', path('tenants', tenant, 'contracts', contract, 'oncall', party.id));
        await redraw();
        announce(t('oncall.removed', { party: party.name }));
      } catch (err) {
        const live = document.getElementById(id + '-msg');
        if (live) put(live, h('span', { class: 'error', role: 'alert' }, errorText(err)));
      }
    } }, t('oncall.remove')) : null);
  always.id = `${id}-always`;
  return h('div', { class: 'oncall', id }, h('h3', {}, t('oncall.title', { contract })), state, msg, form);
}

// A contract's maintenance windows: those under way, to come and ended lately; a form to
// declare one (now or later, for how long, why); "End now" on each.
export async function maintenancePage([tenant]) {
  const contracts = await get(path('tenants', tenant, 'contracts'));
  const may = session.canEdit || session.canSetReceivers;
  const section = async c => {
    const id = 'maintenance-' + c.id;
    const windows = await get(path('tenants', tenant, 'contracts', c.id, 'maintenance'));
    const msg = h('p', { 'aria-live': 'polite', class: 'form-msg', id: id + '-msg' });
    const fail = err => {
      const live = document.getElementById(id + '-msg');
      if (live) put(live, h('span', { class: 'error', role: 'alert' }, errorText(err)));
    };
    const redraw = async () => swap(id, await section(c));
    const list = windows.length === 0 ? h('p', { class: 'empty' }, t('maintenance.empty')) :
      h('div', { class: 'table-wrap' }, h('table', { class: 'list maintenance' },
        h('thead', {}, h('tr', {}, ['maintenance.when', 'maintenance.reason', 'maintenance.by', 'maintenance.state', 'maintenance.actions']
          .map(k => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, windows.map(w => {
          const ended = Date.parse(w.ends) <= Date.now();
          return h('tr', { id: 'window-' + w.id },
            h('td', {}, t('maintenance.from_to', { starts: date(w.starts), ends: date(w.ends) })),
            h('td', {}, w.reason),
            h('td', {}, w.by, w.party ? [h('br'), h('small', {}, t('maintenance.party_only', { party: w.party }))] : null),
            h('td', {}, w.active ? h('strong', {}, t('maintenance.active')) : ended ? t('maintenance.ended') : t('maintenance.planned')),
            h('td', {}, may && !ended ? h('button', { type: 'button', class: 'danger',
              'aria-label': t('maintenance.end_label', { reason: w.reason }), onclick: async () => {
                try {
                  await api('DELETE', path('tenants', tenant, 'contracts', c.id, 'maintenance', w.id));
                  await redraw();
                  announce(t('maintenance.ended_now'));
                } catch (err) { fail(err); }
              } }, w.active ? t('maintenance.end') : t('maintenance.cancel')) : null));
        }))));
    const starts = h('input', { type: 'datetime-local' });
    const hours = h('input', { type: 'number', min: '0.25', max: String(31 * 24), step: '0.25', value: '2', required: true });
    const reason = h('input', { required: true, maxlength: 500, autocomplete: 'off' });
    const form = may ? h('form', { class: 'card', onsubmit: async e => {
      e.preventDefault();
      const from = starts.value ? new Date(starts.value) : new Date();
      const body = { ends: new Date(from.getTime() + Number(hours.value) * 3600000).toISOString(), reason: reason.value };
      if (starts.value) body.starts = from.toISOString();
      try {
        await api('POST', path('tenants', tenant, 'contracts', c.id, 'maintenance'), { body });
        await redraw();
        announce(t('maintenance.created'));
      } catch (err) { fail(err); }
    } }, h('h3', {}, t('maintenance.new')),
      field(`${id}-starts`, t('maintenance.starts'), starts, t('maintenance.starts_help')),
      field(`${id}-hours`, t('maintenance.hours'), hours),
      field(`${id}-reason`, t('maintenance.reason'), reason),
      h('p', { class: 'help' }, session.provider ? t('maintenance.scope_provider') : t('maintenance.scope_client')),
      h('button', { type: 'submit', class: 'primary' }, t('maintenance.create'))) : null;
    return h('section', { id }, h('h2', {}, t('maintenance.contract', { contract: c.id })), msg, list, form);
  };
  return h('section', {},
    h('h1', {}, t('maintenance.title', { tenant })),
    h('p', { class: 'muted' }, t('maintenance.intro')),
    contracts.length === 0 ? h('p', { class: 'empty' }, t('maintenance.no_contract')) : await Promise.all(contracts.map(section)));
}
