// What several pages draw: role badges, a matrix like the HTML report (sections, sticky
// header, notes and markers explained, lint findings on their rows, option rows
// highlighted), a diff, lint findings, the lookup's answer.
import { h } from './dom.js';
import { has, language, t } from './i18n.js';

const ROLE_ORDER = 'RACI';

export function roleBadges(roles) {
  if (!roles) return h('span', { class: 'none' }, '–');
  return h('span', { class: 'roles' },
    [...roles].map(r => h('abbr', { class: 'role role-' + ('RACISD'.includes(r) ? r : 'other'), title: t('role.' + r) }, r)));
}

export function severityBadge(sev) {
  return h('span', { class: 'sev sev-' + sev }, t('severity.' + sev));
}

export function summaryBadges(s) {
  if (!s) return null;
  return h('span', { class: 'summary' },
    h('span', { class: 'count sev-error' + (s.errors ? '' : ' zero') }, t('count.errors', { n: s.errors ?? 0 })),
    ' ',
    h('span', { class: 'count sev-warning' + (s.warnings ? '' : ' zero') }, t('count.warnings', { n: s.warnings ?? 0 })),
    ' ',
    h('span', { class: 'count sev-info' + (s.infos ? '' : ' zero') }, t('count.infos', { n: s.infos ?? 0 })));
}

export function activityAnchor(id) { return 'a-' + id; }

// A finding's words in the page's language: its form from the catalog (lint.form:FORM,
// written from po/fr.po, the CLI's translation) with the finding's values; a finding
// without a form gives the rule's sentence (lint.rule.CODE) on a French page
// (docs/portal.md, "Lint findings").
export function findingText(d) {
  if (d.form && has('lint.form:' + d.form)) return t('lint.form:' + d.form, d.args || {});
  if (language() !== 'en' && has('lint.rule.' + d.code)) return t('lint.rule.' + d.code);
  return d.message;
}

// All diagnostics of a lint report.
export function diagnostics(report) {
  return (report && report.files ? report.files : []).flatMap(f => f.diagnostics || []);
}

// The lint findings as a list (upload preview, version page).
export function findingList(list, lang = null) {
  if (!list.length) return h('p', { class: 'muted' }, t('lint.none'));
  const rank = { error: 0, warning: 1, info: 2 };
  const sorted = [...list].sort((a, b) => (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3));
  return h('ul', { class: 'findings' }, sorted.map(d =>
    h('li', { class: 'finding sev-' + d.severity },
      severityBadge(d.severity), ' ',
      h('code', {}, d.code), ' ',
      h('span', { class: 'where' }, t('lint.line', { line: d.line, column: d.column })), ' ',
      findingText(d),
      d.activity ? h('span', { class: 'activity-ref' }, ' — ', h('q', { lang }, d.activity)) : null)));
}

// The matrix model (the API's ?format=json) as a table.
// options: findings (diagnostics, put on the rows of their line), highlight (Map of
// activity id -> option id), caption.
export function matrixTable(model, { findings = [], highlight = new Map(), caption } = {}) {
  const byLine = new Map();
  for (const d of findings) {
    if (!byLine.has(d.line)) byLine.set(d.line, []);
    byLine.get(d.line).push(d);
  }
  const parties = model.parties || [];
  const head = h('thead', {}, h('tr', {},
    h('th', { scope: 'col', lang: language() }, t('matrix.activity')),
    parties.map(p => h('th', { scope: 'col' }, p.name))));
  const body = h('tbody');
  for (const section of model.sections || []) {
    body.append(h('tr', { class: 'section' },
      h('th', { scope: 'colgroup', colspan: parties.length + 1 }, section.title)));
    for (const a of section.activities || []) {
      const rowFindings = byLine.get(a.line) || [];
      const option = highlight.get(a.id);
      const classes = ['activity'];
      if (option) classes.push('option-row');
      if (rowFindings.length) {
        classes.push('has-' + (rowFindings.some(d => d.severity === 'error') ? 'error'
          : rowFindings.some(d => d.severity === 'warning') ? 'warning' : 'info'));
      }
      // data-does: the parties Responsible, Accountable or Driver here (the filter's
      // "what X does", as the HTML report's).
      const does = parties.filter(p => /[RAD]/.test((a.roles && a.roles[p.id]) || '')).map(p => p.id);
      body.append(h('tr', { class: classes.join(' '), id: activityAnchor(a.id), 'data-does': does.join('\u0001') },
        h('th', { scope: 'row' },
          h('span', { class: 'title' }, a.title),
          (a.markers && a.markers.title ? a.markers.title : []).map(m => h('sup', { class: 'marker' }, m)),
          option ? h('span', { class: 'option-tag', lang: language() }, t('contract.option_tag', { option })) : null,
          // The findings are the portal's words, in the page's language, not the matrix's.
          rowFindings.length ? h('ul', { class: 'row-findings', lang: language() }, rowFindings.map(d =>
            h('li', { class: 'finding sev-' + d.severity },
              severityBadge(d.severity), ' ', h('code', {}, d.code), ' ', findingText(d)))) : null),
        parties.map(p => h('td', { class: 'cell' },
          roleBadges(a.roles ? a.roles[p.id] : ''),
          ((a.markers && a.markers[p.id]) || []).map(m => h('sup', { class: 'marker', title: noteText(model, m) }, m))))));
    }
  }
  return h('div', { class: 'table-wrap matrix-wrap' },
    h('table', { class: 'matrix', lang: model.language || null },
      caption ? h('caption', {}, caption) : null, head, body));
}

function noteText(model, marker) {
  const n = (model.notes || []).find(x => x.marker === marker);
  return n ? n.text : null;
}

// The roles, the notes and markers, the options and the gray zone, explained.
export function legend(model) {
  const notes = [];
  const seen = new Set();
  for (const n of model.notes || []) {
    const k = n.marker + '\u0000' + n.text;
    if (seen.has(k)) continue;
    seen.add(k);
    notes.push(n);
  }
  return h('section', { class: 'legend', 'aria-labelledby': 'legend-title' },
    h('h2', { id: 'legend-title' }, t('legend.title')),
    h('dl', { class: 'roles-legend' }, [...ROLE_ORDER].map(r => [
      h('dt', {}, roleBadges(r)), h('dd', {}, t('role.' + r) + ' — ' + t('role.' + r + '.explain'))])),
    notes.length ? h('div', {},
      h('h3', {}, t('legend.notes')),
      h('p', { class: 'muted' }, t('legend.markers')),
      h('dl', { class: 'notes', lang: model.language || null }, notes.map(n => [
        h('dt', {}, h('sup', { class: 'marker' }, n.marker)), h('dd', {}, n.text)]))) : null,
    (model.options || []).length ? h('div', {},
      h('h3', {}, t('legend.options')),
      h('ul', { lang: model.language || null }, model.options.map(o =>
        h('li', {}, h('code', {}, o.id), ' (', h('sup', { class: 'marker' }, o.marker), ') ', o.text)))) : null,
    model.gray_zone ? h('div', {},
      h('h3', {}, t('legend.gray_zone')),
      h('p', { lang: model.language || null }, model.gray_zone)) : null);
}

// A diff (the API's diff JSON) as a table: added, removed, moved, retitled, changed;
// `lang` is the matrix's language (its sections and titles are marked with it).
export function diffView(diff, lang = null) {
  const changes = diff.changes || [];
  const parts = [];
  const partiesAdded = diff.parties?.added || [];
  const partiesRemoved = diff.parties?.removed || [];
  if (partiesAdded.length) parts.push(h('p', {}, t('diff.parties_added'), ' ', partiesAdded.join(', ')));
  if (partiesRemoved.length) parts.push(h('p', {}, t('diff.parties_removed'), ' ', partiesRemoved.join(', ')));
  for (const o of diff.options || []) {
    parts.push(h('p', {}, t('diff.option', { id: o.id, change: t('diff.kind.' + o.change) })));
  }
  if (!changes.length) {
    parts.push(h('p', { class: 'empty' }, t('diff.none')));
    return h('div', { class: 'diff' }, parts);
  }
  const counts = {};
  for (const c of changes) counts[c.kind] = (counts[c.kind] || 0) + 1;
  parts.push(h('p', { class: 'diff-counts' }, Object.entries(counts).map(([k, n]) =>
    h('span', { class: 'kind kind-' + k }, t('diff.count.' + k, { n })))));
  parts.push(h('div', { class: 'table-wrap' }, h('table', { class: 'list diff-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('diff.change')),
      h('th', { scope: 'col' }, t('diff.section')),
      h('th', { scope: 'col' }, t('matrix.activity')),
      h('th', { scope: 'col' }, t('diff.roles')))),
    h('tbody', {}, changes.map(c => h('tr', { class: 'change', 'data-kind': c.kind },
      h('td', {}, (c.kinds && c.kinds.length ? c.kinds : [c.kind]).map(k =>
        h('span', { class: 'kind kind-' + k }, t('diff.kind.' + k)))),
      h('td', { lang }, c.old_section ? [h('del', {}, c.old_section), ' → '] : null, c.section),
      h('td', { lang },
        c.old && c.new && c.old.title !== c.new.title
          ? [h('del', {}, c.old.title), ' → ', h('ins', {}, c.new.title)]
          : (c.new || c.old || {}).title),
      h('td', {}, Object.entries(c.roles || {}).map(([party, r]) =>
        h('div', { class: 'role-change' }, party, ': ', roleBadges(r.old), ' → ', roleBadges(r.new))))))))));
  return h('div', { class: 'diff' }, parts);
}

// The HTML report's filter for a drawn matrix (matrixTable): rows whose text holds the
// search (case and accents ignored), and only those where a party is Responsible,
// Accountable or Driver; a section left without rows is hidden too. Returns the form.
export function matrixFilter(model, table) {
  const fold = s => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const search = h('input', { id: 'matrix-q', type: 'search', autocomplete: 'off' });
  const party = h('select', { id: 'matrix-party' }, h('option', { value: '' }, t('filter.all_parties')),
    (model.parties || []).map(p => h('option', { value: p.id }, t('filter.party_does', { party: p.name }))));
  const count = h('p', { class: 'muted', id: 'matrix-count', 'aria-live': 'polite' });
  const rows = [...table.querySelectorAll('tbody tr')];
  const apply = () => {
    const q = fold(search.value.trim());
    let shown = 0;
    let section = null;
    let sectionShown = 0;
    const close = () => { if (section) section.classList.toggle('filtered-out', sectionShown === 0); };
    for (const r of rows) {
      if (r.classList.contains('section')) { close(); section = r; sectionShown = 0; continue; }
      const ok = (!q || fold(r.textContent).includes(q)) &&
        (!party.value || (r.dataset.does || '').split('\u0001').includes(party.value));
      r.classList.toggle('filtered-out', !ok);
      if (ok) { shown++; sectionShown++; }
    }
    close();
    count.textContent = q || party.value ? t('filter.count', { n: shown }) : '';
  };
  search.addEventListener('input', apply);
  search.addEventListener('keydown', e => {
    if (e.key === 'Escape' && search.value) { e.preventDefault(); search.value = ''; apply(); }
  });
  party.addEventListener('change', apply);
  return h('form', { class: 'matrix-filter no-print', role: 'search', onsubmit: e => e.preventDefault() },
    h('div', { class: 'field' }, h('label', { for: 'matrix-q' }, t('filter.search')), search),
    h('div', { class: 'field' }, h('label', { for: 'matrix-party' }, t('filter.party')), party),
    count);
}
