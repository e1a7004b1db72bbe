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
                yml: 'application/yaml', json: 'application/json', csv: 'text/csv' };

// Upload with a lint preview: the document is sent with ?force=false, so a document with
// lint errors is not saved (422, its findings shown) until the user saves it anyway
// (?force=true); one without errors is saved at once and its findings shown.
function uploadForm(matrix) {
  const idInput = matrix ? null : h('input', { id: 'upload-id', required: true, pattern: '[a-z0-9][a-z0-9-]{0,62}',
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'upload-id-help' });
  const file = h('input', { id: 'upload-file', type: 'file', required: true,
    accept: '.md,.markdown,.yaml,.yml,.json,.csv' });
  const out = h('div', { class: 'upload-result', id: 'upload-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('upload.check'));
  const send = async (id, f, force) => {
    const ext = (f.name.split('.').pop() || '').toLowerCase();
    const type = TYPES[ext];
    if (!type) { put(out, h('p', { class: 'error', role: 'alert' }, t('upload.bad_type'))); return; }
    const body = await f.text();
    submit.disabled = true;
    try {
      const r = await api('POST', path('matrices', id, 'versions') + (force ? '?force=true' : '?force=false'),
        { body, type });
      const lint = await get(path('matrices', id, 'versions', r.version, 'lint'));
      put(out, h('div', { class: 'card saved', role: 'status' },
        h('p', {}, t('upload.saved', { matrix: r.matrix, version: r.version }), ' ', summaryBadges(r.lint)),
        findingList(diagnostics(lint)),
        h('p', {}, h('a', { href: `#/matrices/${r.matrix}/versions/${r.version}` }, t('upload.open', { version: r.version })))));
      announce(t('upload.saved', { matrix: r.matrix, version: r.version }));
      if (matrix) {
        const history = document.getElementById('history');
        if (history) history.replaceWith(await historySection(matrix));
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.body && err.body.files) {
        const found = diagnostics(err.body);
        put(out, h('div', { class: 'card preview' },
          h('h3', {}, t('upload.preview')),
          h('p', { role: 'alert' }, t('upload.not_saved', { n: found.filter(d => d.severity === 'error').length })),
          findingList(found),
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'danger', id: 'upload-force',
              onclick: () => send(id, f, true) }, t('upload.force')),
            h('button', { type: 'button', onclick: () => { put(out); file.value = ''; file.focus(); } },
              t('upload.cancel')))));
        out.querySelector('#upload-force').focus();
      } else {
        put(out, h('p', { class: 'error', role: 'alert' }, errorText(err)));
      }
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
    send(id, file.files[0], false);
  } },
    idInput ? h('div', { class: 'field' },
      h('label', { for: 'upload-id' }, t('upload.id')), idInput,
      h('p', { class: 'help', id: 'upload-id-help' }, t('upload.id_help'))) : null,
    h('div', { class: 'field' }, h('label', { for: 'upload-file' }, t('upload.file')), file),
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
        h('th', { scope: 'col' }, 'SHA-256'))),
      h('tbody', {}, [...versions].reverse().map(v => h('tr', { id: 'version-' + v.version },
        h('td', {}, h('a', { href: `#/matrices/${matrix}/versions/${v.version}` }, t('matrices.version', { n: v.version }))),
        h('td', {}, date(v.created)),
        h('td', {}, h('span', { title: v.by }, v.by_name || v.by)),
        h('td', {}, summaryBadges(v.summary)),
        h('td', {}, h('code', { title: v.sha256 }, v.sha256.slice(0, 12)))))))),
    numbers.length > 1 ? h('form', { class: 'inline diff-picker', onsubmit: e => {
      e.preventDefault();
      go(`#/matrices/${matrix}/diff/${from.value}/${to.value}`);
    } },
      h('label', { for: 'diff-from' }, t('diff.from')), from,
      h('label', { for: 'diff-to' }, t('diff.to')), to,
      h('button', { type: 'submit' }, t('diff.compare'))) : null);
}

export async function matrixPage([matrix]) {
  const history = await historySection(matrix);
  return h('section', {},
    h('nav', { class: 'crumbs', 'aria-label': t('nav.crumbs') },
      h('a', { href: '#/matrices' }, t('matrices.title')), ' / ', matrix),
    h('h1', {}, t('matrix.title', { id: matrix })),
    history,
    session.canEdit ? uploadForm(matrix) : null);
}

export async function versionPage([matrix, version]) {
  const [model, lint] = await Promise.all([
    get(path('matrices', matrix, 'versions', version) + '?format=json'),
    get(path('matrices', matrix, 'versions', version, 'lint')),
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
