// The provider's pages: the matrices, one matrix's versions (history, upload with a lint
// preview, diff picker), a version like the HTML report, a diff between two versions.
// The provider's viewer reads them all, without the upload forms.
import { ApiError, api, get, getBlob, path } from './api.js';
import { h, put, saveBlob } from './dom.js';
import { date, errorText, t } from './i18n.js';
import { diagnostics, diffView, findingList, legend, matrixTable, summaryBadges } from './render.js';
import { announce, go } from './app.js';
import { session } from './session.js';

export async function matricesPage() {
  const list = await get('/api/v1/matrices');
  return h('section', {},
    h('h1', {}, t('matrices.title')),
    list.length === 0 ? h('p', { class: 'empty' }, t('matrices.empty')) :
      h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('matrices.id')),
          h('th', { scope: 'col' }, t('matrices.matrix_title')),
          h('th', { scope: 'col' }, t('matrices.latest')))),
        h('tbody', {}, list.map(m => h('tr', {},
          h('td', {}, h('a', { href: `#/matrices/${m.id}` }, m.id)),
          h('td', {}, m.title),
          h('td', {}, h('a', { href: `#/matrices/${m.id}/versions/${m.latest}` },
            t('matrices.version', { n: m.latest })))))))),
    session.canEdit ? uploadForm(null) : null);
}

const TYPES = { md: 'text/markdown', markdown: 'text/markdown', yaml: 'application/yaml',
                yml: 'application/yaml', json: 'application/json', csv: 'text/csv',
                xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                ods: 'application/vnd.oasis.opendocument.spreadsheet' };
// Spreadsheets go as their bytes; the server keeps the Markdown they read as.
const BINARY = new Set(['xlsx', 'ods']);

// Upload in two steps. "Check" sends the document as a dry run (?dry_run=true: nothing
// is stored) and shows what saving it would bring: its lint findings and its diff against
// the latest version (activities added, removed, moved, their roles). "Save" then uploads
// it; with lint errors the button says "Save anyway" (?force=true), the user's call.
function uploadForm(matrix) {
  const idInput = matrix ? null : h('input', { id: 'upload-id', required: true, pattern: '[a-z0-9][a-z0-9-]{0,62}',
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'upload-id-help' });
  const file = h('input', { id: 'upload-file', type: 'file', required: true,
    accept: '.md,.markdown,.yaml,.yml,.json,.csv,.xlsx,.ods' });
  // The release note: kept with the version, in its history, and said to the clients
  // behind it through their receivers when it is saved.
  const note = h('textarea', { id: 'upload-note', rows: 3, maxlength: 2000, 'aria-describedby': 'upload-note-help' });
  const out = h('div', { class: 'upload-result', id: 'upload-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('upload.check'));
  const cancel = () => h('button', { type: 'button', onclick: () => { put(out); file.value = ''; file.focus(); } },
    t('upload.cancel'));
  const save = async (id, body, type, force, button) => {
    button.disabled = true;
    try {
      const query = new URLSearchParams();
      if (force) query.set('force', 'true');
      if (note.value.trim()) query.set('note', note.value.trim());
      const q = query.toString();
      const r = await api('POST', path('matrices', id, 'versions') + (q ? '?' + q : ''), { body, type });
      const lint = await get(path('matrices', id, 'versions', r.version, 'lint'));
      note.value = '';
      put(out, h('div', { class: 'card saved', role: 'status' },
        h('p', {}, t('upload.saved', { matrix: r.matrix, version: r.version }), ' ', summaryBadges(r.lint)),
        h('p', { id: 'upload-told' }, r.told ? t('upload.told', { n: r.told }) : t('upload.told_none')),
        findingList(diagnostics(lint)),
        h('p', {}, h('a', { href: `#/matrices/${r.matrix}/versions/${r.version}` }, t('upload.open', { version: r.version })))));
      announce(t('upload.saved', { matrix: r.matrix, version: r.version }));
      if (matrix) {
        for (const [where, draw] of [['history', historySection], ['clients', clientsSection]]) {
          const old = document.getElementById(where);
          if (old) old.replaceWith(await draw(matrix));
        }
      }
    } catch (err) {
      put(out, h('p', { class: 'error', role: 'alert' }, errorText(err)));
      button.disabled = false;
    }
  };
  const check = async (id, f) => {
    const ext = (f.name.split('.').pop() || '').toLowerCase();
    const type = TYPES[ext];
    if (!type) { put(out, h('p', { class: 'error', role: 'alert' }, t('upload.bad_type'))); return; }
    const body = BINARY.has(ext) ? await f.arrayBuffer() : await f.text();
    submit.disabled = true;
    try {
      const p = await api('POST', path('matrices', id, 'versions') + '?dry_run=true', { body, type });
      const errors = p.summary.errors;
      const lang = p.language || null;
      const found = diagnostics(p.lint);
      const saveButton = p.same_as ? null : h('button', { type: 'button', id: 'upload-save',
        class: errors ? 'danger' : 'primary', onclick: () => save(id, body, type, errors > 0, saveButton) },
      errors ? t('upload.force') : t('upload.save', { version: (p.latest || 0) + 1 }));
      put(out, h('div', { class: 'card preview', id: 'upload-preview' },
        h('h3', {}, t('upload.preview')),
        h('p', { role: errors ? 'alert' : null, id: 'upload-verdict' },
          p.same_as ? t('upload.same', { version: p.same_as })
            : errors ? t('upload.not_saved', { n: errors }) : t('upload.ready', { version: (p.latest || 0) + 1 }),
          ' ', summaryBadges(p.summary)),
        h('h4', {}, p.diff ? t('upload.diff_title', { version: p.latest }) : t('upload.diff_first')),
        p.diff ? diffView(p.diff, lang) : null,
        h('h4', {}, t('version.findings', { n: found.length })),
        findingList(found, lang),
        h('div', { class: 'actions' }, saveButton, ' ', cancel())));
      (saveButton || out.querySelector('button')).focus();
    } catch (err) {
      put(out, h('p', { class: 'error', role: 'alert' }, errorText(err)));
    } finally {
      submit.disabled = false;
    }
  };
  const form = h('form', { class: 'card upload', onsubmit: e => {
    e.preventDefault();
    const id = matrix || idInput.value.trim();
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) {
      put(out, h('p', { class: 'error', role: 'alert' }, t('upload.bad_id')));
      idInput.focus();
      return;
    }
    if (!file.files.length) {
      put(out, h('p', { class: 'error', role: 'alert' }, t('upload.no_file')));
      file.focus();
      return;
    }
    check(id, file.files[0]);
  } },
    idInput ? h('div', { class: 'field' },
      h('label', { for: 'upload-id' }, t('upload.id')), idInput,
      h('p', { class: 'help', id: 'upload-id-help' }, t('upload.id_help'))) : null,
    h('div', { class: 'field' }, h('label', { for: 'upload-file' }, t('upload.file')), file),
    h('div', { class: 'field' }, h('label', { for: 'upload-note' }, t('upload.note')), note,
      h('p', { class: 'help', id: 'upload-note-help' }, t('upload.note_help'))),
    h('p', { class: 'help' }, t('upload.help')),
    submit, out);
  return h('section', { 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, matrix ? t('upload.title_version') : t('upload.title_new')), form);
}

async function historySection(matrix) {
  const versions = await get(path('matrices', matrix, 'versions'));
  const numbers = versions.map(v => v.version);
  const select = (id, value) => h('select', { id }, numbers.map(n =>
    h('option', { value: String(n), selected: n === value }, t('matrices.version', { n }))));
  const from = select('diff-from', numbers.length > 1 ? numbers[numbers.length - 2] : numbers[0]);
  const to = select('diff-to', numbers[numbers.length - 1]);
  return h('section', { id: 'history', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, t('history.title')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'list history' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('history.version')),
        h('th', { scope: 'col' }, t('history.created')),
        h('th', { scope: 'col' }, t('history.by')),
        h('th', { scope: 'col' }, t('history.lint')),
        h('th', { scope: 'col' }, t('history.note')),
        h('th', { scope: 'col' }, 'SHA-256'))),
      h('tbody', {}, [...versions].reverse().map(v => h('tr', { id: 'version-' + v.version },
        h('td', {}, h('a', { href: `#/matrices/${matrix}/versions/${v.version}` }, t('matrices.version', { n: v.version }))),
        h('td', {}, date(v.created)),
        h('td', {}, h('span', { title: v.by }, v.by_name || v.by)),
        h('td', {}, summaryBadges(v.summary)),
        h('td', { class: 'note' }, v.note || '\u2014'),
        h('td', {}, h('code', { title: v.sha256 }, v.sha256.slice(0, 12)))))))),
    numbers.length > 1 ? h('form', { class: 'inline diff-picker', onsubmit: e => {
      e.preventDefault();
      go(`#/matrices/${matrix}/diff/${from.value}/${to.value}`);
    } },
      h('label', { for: 'diff-from' }, t('diff.from')), from,
      h('label', { for: 'diff-to' }, t('diff.to')), to,
      h('button', { type: 'submit' }, t('diff.compare'))) : null);
}

// Which clients' contracts are on which version of the matrix, the furthest behind first
// (for the provider's staff); on a version's page, that version's contracts are marked.
async function clientsSection(matrix, version = null) {
  const r = await get(path('matrices', matrix, 'clients'));
  const list = r.contracts;
  const here = version === 'latest' ? r.latest : Number(version) || null;
  return h('section', { id: 'clients', 'aria-labelledby': 'clients-title' },
    h('h2', { id: 'clients-title' }, t('clients.title')),
    h('p', { id: 'clients-summary' }, list.length === 0 ? t('clients.none')
      : r.behind ? t('clients.behind', { n: r.behind, latest: r.latest }) : t('clients.all_latest', { latest: r.latest })),
    list.length === 0 ? null : h('div', { class: 'table-wrap' }, h('table', { class: 'list clients' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('clients.client')),
        h('th', { scope: 'col' }, t('clients.contract')),
        h('th', { scope: 'col' }, t('clients.version')),
        h('th', { scope: 'col' }, t('clients.status')))),
      h('tbody', {}, list.map(c => h('tr', { class: c.version === here ? 'this-version' : null },
        h('td', {}, c.tenant_name || c.tenant),
        h('td', {}, h('a', { href: `#/tenants/${c.tenant}/contracts/${c.contract}` }, c.contract)),
        h('td', {}, h('a', { href: `#/matrices/${matrix}/versions/${c.version}` }, t('matrices.version', { n: c.version })),
          c.version === here ? [' ', h('small', {}, t('clients.this'))] : null),
        h('td', {}, c.behind ? h('span', { class: 'count sev-warning' }, t('clients.status_behind', { n: c.behind }))
          : t('clients.status_latest'))))))));
}

export async function matrixPage([matrix]) {
  const [history, clients] = await Promise.all([historySection(matrix), clientsSection(matrix)]);
  return h('section', {},
    h('nav', { class: 'crumbs', 'aria-label': t('nav.crumbs') },
      h('a', { href: '#/matrices' }, t('matrices.title')), ' / ', matrix),
    h('h1', {}, t('matrix.title', { id: matrix })),
    history,
    clients,
    session.canEdit ? uploadForm(matrix) : null);
}

export async function versionPage([matrix, version]) {
  const [model, lint, clients] = await Promise.all([
    get(path('matrices', matrix, 'versions', version) + '?format=json'),
    get(path('matrices', matrix, 'versions', version, 'lint')),
    session.provider ? clientsSection(matrix, version) : null,
  ]);
  const found = diagnostics(lint);
  const exportButton = (format, ext, label) => h('button', { type: 'button', onclick: async () => {
    saveBlob(await getBlob(path('matrices', matrix, 'versions', version) + '?format=' + format),
      `${matrix}-${version}.${ext}`);
  } }, label);
  return h('section', {},
    session.provider ? h('nav', { class: 'crumbs', 'aria-label': t('nav.crumbs') },
      h('a', { href: '#/matrices' }, t('matrices.title')), ' / ',
      h('a', { href: `#/matrices/${matrix}` }, matrix), ' / ', t('matrices.version', { n: version })) : null,
    h('h1', { lang: model.language || null }, model.title),
    h('p', { class: 'meta' }, t('version.meta', { matrix, version, n: countActivities(model) }), ' ',
      summaryBadges(lint.files ? summarize(found) : null)),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', onclick: () => window.print() }, t('export.print')),
      exportButton('xlsx', 'xlsx', t('export.xlsx')),
      exportButton('oscal', 'oscal.json', t('export.oscal')),
      exportButton('md', 'md', t('export.md'))),
    found.length ? h('details', { class: 'lint-all' },
      h('summary', {}, t('version.findings', { n: found.length })), findingList(found, model.language || null)) : null,
    clients,
    matrixTable(model, { findings: found }),
    legend(model));
}

function countActivities(model) {
  return (model.sections || []).reduce((n, s) => n + (s.activities || []).length, 0);
}

function summarize(list) {
  const s = { errors: 0, warnings: 0, infos: 0 };
  for (const d of list) s[d.severity + 's'] = (s[d.severity + 's'] || 0) + 1;
  return s;
}

export async function diffPage([matrix, from, to]) {
  const [diff, model] = await Promise.all([
    get(path('matrices', matrix, 'diff') + `?from=${from}&to=${to}`),
    get(path('matrices', matrix, 'versions', to) + '?format=json')]);
  return h('section', {},
    session.provider ? h('nav', { class: 'crumbs', 'aria-label': t('nav.crumbs') },
      h('a', { href: '#/matrices' }, t('matrices.title')), ' / ',
      h('a', { href: `#/matrices/${matrix}` }, matrix)) : null,
    h('h1', {}, t('diff.title', { matrix, from, to })),
    diffView(diff, model.language || null));
}
