// A client's contract (the tenant and the provider): who does what as you type, the
// tenant's duties, the effective matrix with its options highlighted, a pending upgrade
// and its diff with an accept button (for a client's approver and the provider's editors;
// the others read the diff and a note saying who may accept), exports.
import { ApiError, api, get, getBlob, path } from './api.js';
import { debounce, h, put, saveBlob } from './dom.js';
import { day, errorText, t } from './i18n.js';
import { diffView, legend, matrixFilter, matrixTable, roleBadges } from './render.js';
import { session } from './session.js';
import { announce, go } from './app.js';
import { askOffer } from './pages-requests.js';

export async function contractsPage() {
  let rows = [];
  const names = new Map();
  if (session.role === 'tenant') {
    rows = await get(path('tenants', session.tenant, 'contracts'));
  } else {
    const tenants = await get('/api/v1/tenants');
    for (const x of tenants) names.set(x.id, x.name);
    const lists = await Promise.all(tenants.map(x => get(path('tenants', x.id, 'contracts'))));
    rows = lists.flat();
  }
  return h('section', {},
    h('h1', {}, session.role === 'tenant' ? t('contracts.mine') : t('contracts.title')),
    // No contract yet: where contracts are made (Administration, for the provider's
    // staff), or whom to ask (a client).
    rows.length === 0 ? h('div', { class: 'card empty', id: 'contracts-empty' },
      h('h2', {}, t('contracts.empty')),
      session.provider ? h('p', {}, t('contracts.empty_where'), ' ',
        h('a', { href: '#/admin/tenants' }, t('contracts.empty_link')))
        : h('p', {}, t('contracts.empty_ask'))) :
      h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
        h('thead', {}, h('tr', {},
          session.role === 'tenant' ? null : h('th', { scope: 'col' }, t('contracts.tenant')),
          h('th', { scope: 'col' }, t('contracts.contract')),
          h('th', { scope: 'col' }, t('contracts.matrix')),
          h('th', { scope: 'col' }, t('contracts.party')),
          h('th', { scope: 'col' }, t('contracts.options')),
          session.role === 'tenant' ? null : h('th', { scope: 'col' }, t('nav.events')))),
        h('tbody', {}, rows.map(c => h('tr', {},
          session.role === 'tenant' ? null : h('td', {}, names.get(c.tenant) || c.tenant),
          h('td', {}, h('a', { href: `#/tenants/${c.tenant}/contracts/${c.id}` }, c.id)),
          h('td', {}, c.matrix, ' ', t('matrices.version', { n: c.version })),
          h('td', {}, c.party),
          h('td', {}, c.options.length ? c.options.join(', ') : '–'),
          session.role === 'tenant' ? null : h('td', {}, h('a', { href: `#/tenants/${c.tenant}/events` }, t('nav.events')))))))));
}

const TABS = ['search', 'duties', 'matrix', 'upgrade', 'history', 'exports'];

export async function contractPage([tenant, id, tab = 'search'], query) {
  const base = path('tenants', tenant, 'contracts', id);
  const [contract, model, upgrade, options] = await Promise.all([
    get(base),
    get(base + '/matrix?format=json'),
    get(base + '/upgrade').catch(e => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }),
    get(base + '/options'),
  ]);
  // Options by name (the contract as the note writes it), never by id.
  optionNames = new Map(options.map(o => [o.id, o.name || o.id]));
  const partyName = pid => (model.parties.find(p => p.id === pid) || { name: pid }).name;
  const href = k => `#/tenants/${tenant}/contracts/${id}` + (k === 'search' ? '' : '/' + k);
  const dot = () => h('span', { class: 'dot' }, t('contract.new'));
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('contract.sections') }, h('ul', {},
    TABS.map(k => h('li', {}, h('a', { href: href(k), 'aria-current': k === tab ? 'page' : null, id: 'tab-' + k },
      t('contract.tab.' + k), k === 'upgrade' && upgrade ? [' ', dot()] : null)))));
  // The offer of a newer version: shown on every tab but its own; one published while the
  // page is open appears too (watchOffer), on every tab.
  const banner = h('p', { class: 'banner', id: 'upgrade-banner', hidden: !(upgrade && tab !== 'upgrade') });
  const offer = u => put(banner, t('contract.upgrade_banner', { to: u.to }), ' ',
    h('a', { href: href('upgrade'), onclick: e => { e.preventDefault(); go(href('upgrade')); } },
      t('contract.upgrade_look')));
  if (upgrade) offer(upgrade);
  let body;
  if (tab === 'search') body = searchTab(base, model, partyName, tenant, id);
  else if (tab === 'duties') body = await dutiesTab(base, contract, partyName, model.language || null);
  else if (tab === 'matrix') body = matrixTab(model, options);
  else if (tab === 'upgrade') body = upgradeTab(base, contract, upgrade, href, contract.tenant_name || tenant, model.language || null);
  else if (tab === 'history') body = await historyTab(base, contract);
  else body = exportsTab(base, tenant, id);
  // The PDF export: the browser's print of the effective matrix (print stylesheet).
  if (tab === 'matrix' && query && query.get('print')) setTimeout(() => window.print(), 300);
  const section = h('section', { class: 'contract' },
    session.role === 'tenant' ? null : h('nav', { class: 'crumbs', 'aria-label': t('nav.crumbs') },
      h('a', { href: '#/contracts' }, t('contracts.title')), ' / ', contract.tenant_name || tenant),
    h('h1', {}, t('contract.title', { tenant: contract.tenant_name || tenant, id })),
    h('p', { class: 'meta' },
      t('contract.meta', { matrix: contract.matrix, version: contract.version, party: partyName(contract.party) }),
      ' ', contract.options.length ? t('contract.with_options', { options: contract.options.join(', ') })
        : t('contract.no_options')),
    contract.accepted ? h('p', { class: 'accepted', id: 'accepted' }, acceptedLine(contract.accepted)) : null,
    h('p', { class: 'matrix-title', lang: model.language || null }, model.title),
    banner,
    tabs,
    body);
  watchOffer(section, base, upgrade ? upgrade.to : null, u => {
    offer(u);
    banner.hidden = false;
    const tabLink = section.querySelector('#tab-upgrade');
    if (tabLink && !tabLink.querySelector('.dot')) tabLink.append(' ', dot());
    announce(t('contract.upgrade_banner', { to: u.to }));
  });
  return section;
}

// A version published while a contract's page is open is offered without navigating:
// the offer is asked for again every 30 s while the page is in sight, and at once when it
// comes back into sight (the window's focus, the tab shown again). It stops when the page
// is gone.
const OFFER_EVERY_MS = 30000;
function watchOffer(section, base, known, show) {
  let busy = false;
  const check = async () => {
    if (!section.isConnected) { stop(); return; }
    if (busy || document.visibilityState === 'hidden') return;
    busy = true;
    try {
      const u = await get(base + '/upgrade');
      if (section.isConnected && u && u.to !== known) { known = u.to; show(u); }
    } catch { /* none (404), or the server is away: asked again next time */ } finally {
      busy = false;
    }
  };
  const timer = setInterval(check, OFFER_EVERY_MS);
  window.addEventListener('focus', check);
  document.addEventListener('visibilitychange', check);
  function stop() {
    clearInterval(timer);
    window.removeEventListener('focus', check);
    document.removeEventListener('visibilitychange', check);
  }
}

// `who` as you type: the best activities, the answered / uncertain / gray-zone outcome
// styled differently, the party that is Responsible named first.
function searchTab(base, model, partyName, tenant, id) {
  const input = h('input', { id: 'who', type: 'search', autocomplete: 'off', autofocus: true,
    'aria-describedby': 'who-help', 'aria-controls': 'who-result' });
  const result = h('div', { id: 'who-result', 'aria-live': 'polite' });
  let asked = 0;
  const ask = debounce(async () => {
    const q = input.value.trim();
    const n = ++asked;
    if (!q) { put(result); return; }
    // While typing (not on submit), the last word may be unfinished: partial=1.
    const partial = typing && /[\p{L}\p{N}]$/u.test(input.value) ? '&partial=1' : '';
    typing = false;
    try {
      const r = await get(base + '/who?limit=5' + partial + '&q=' + encodeURIComponent(q));
      if (n !== asked) return;
      put(result, answer(r, model, partyName),
        // The gray zone: a client may ask the provider for it (a request, billed as a project).
        (r.outcome || (r.gray_zone ? 'gray_zone' : '')) === 'gray_zone' && session.role === 'tenant' &&
          session.tenantRole !== 'viewer' ? askOffer(tenant, id, q) : null);
      announce(t('who.outcome.' + r.outcome));
    } catch (err) {
      if (n === asked) put(result, h('p', { class: 'error', role: 'alert' }, errorText(err)));
    }
  }, 150);
  let typing = false;
  input.addEventListener('input', () => { typing = true; ask(); });
  // Escape clears the question and its answer.
  input.addEventListener('keydown', e => {
    if (e.key !== 'Escape' || !input.value) return;
    e.preventDefault();
    input.value = '';
    ++asked;
    put(result);
    announce(t('who.cleared'));
  });
  return h('section', { 'aria-labelledby': 'search-title' },
    h('h2', { id: 'search-title' }, t('who.title')),
    h('form', { class: 'search', role: 'search', onsubmit: e => { e.preventDefault(); ask(); } },
      h('label', { for: 'who' }, t('who.label')),
      input,
      h('p', { class: 'help', id: 'who-help' }, t('who.help'))),
    result);
}

// The options that moved a row to its holder ("via infogerance-complementaire"): why the
// provider holds it under this contract.
let optionNames = new Map();
function via(m) {
  return (m.via || []).map(option => h('span', { class: 'option-tag via', lang: null, title: option },
    t('who.via', { option: optionNames.get(option) || option })));
}

function answer(r, model, partyName) {
  const outcome = r.outcome || (r.gray_zone ? 'gray_zone' : 'answered');
  const list = r.matches || [];
  const holders = (roles, letter) => Object.entries(roles || {}).filter(([, v]) => v.includes(letter))
    .map(([p]) => partyName(p));
  const top = list[0];
  return h('div', { class: 'answer outcome-' + outcome },
    h('p', { class: 'outcome' }, h('span', { class: 'outcome-tag' }, t('who.outcome.' + outcome)), ' ',
      t('who.explain.' + outcome)),
    outcome === 'gray_zone' ? h('p', { class: 'gray-note', lang: model.language || null }, r.gray_zone_note || model.gray_zone) : null,
    top && outcome !== 'gray_zone' ? h('div', { class: 'best' },
      h('p', { class: 'best-title', lang: model.language || null }, top.title, via(top)),
      h('p', { class: 'muted', lang: model.language || null }, top.section),
      h('p', { class: 'best-party' },
        t('who.responsible'), ' ', h('strong', { class: 'party' }, holders(top.roles, 'R').join(', ') || '–'),
        ' · ', t('who.accountable'), ' ', h('strong', {}, holders(top.roles, 'A').join(', ') || '–'))) : null,
    list.length ? h('ol', { class: 'matches' }, list.map((m, i) => h('li', { class: i === 0 ? 'first' : null },
      h('span', { class: 'm-title', lang: model.language || null }, m.title), via(m), ' ',
      m.shared_title ? h('span', { class: 'muted', lang: model.language || null }, '(' + m.section + ') ') : null,
      h('span', { class: 'm-roles' }, Object.entries(m.roles || {}).map(([p, roles]) =>
        h('span', { class: 'm-party' }, partyName(p), ' ', roleBadges(roles))))))) : null);
}

// "What must we do": the tenant's party, as the introduction says: first every activity
// where it is Responsible or Accountable, by section; then those where it is only
// consulted or informed, by section (greyed).
async function dutiesTab(base, contract, partyName, lang) {
  const duties = await get(base + '/duties');
  const must = roles => roles.includes('R') || roles.includes('A');
  const part = keep => (duties.sections || []).map(s => ({ title: s.title, activities: s.activities.filter(a => keep(a.roles)) }))
    .filter(s => s.activities.length);
  const first = part(must);
  const then = part(r => !must(r));
  const total = first.reduce((n, s) => n + s.activities.length, 0);
  const list = (sections, cls) => sections.map(s => h('section', { class: 'duties-section' },
    h('h4', { lang }, s.title),
    h('ul', { class: 'duties' }, s.activities.map(a => h('li', { class: cls }, roleBadges(a.roles), ' ', h('span', { lang }, a.title))))));
  return h('section', { 'aria-labelledby': 'duties-title' },
    h('h2', { id: 'duties-title' }, t('duties.title', { party: partyName(duties.party || contract.party) })),
    h('p', {}, t('duties.count', { n: total })),
    first.length ? h('section', { class: 'duties-part', 'aria-labelledby': 'duties-must' },
      h('h3', { id: 'duties-must' }, t('duties.must')), list(first, 'must')) : null,
    then.length ? h('section', { class: 'duties-part', 'aria-labelledby': 'duties-other' },
      h('h3', { id: 'duties-other' }, t('duties.other')), list(then, 'other')) : null);
}

const partyOf = (model, id) => ((model.parties || []).find(p => p.id === id) || { name: id }).name;

function matrixTab(model, options) {
  const highlight = new Map();
  for (const o of options) {
    if (!o.included) continue;
    for (const a of o.activities || []) highlight.set(a.id, o.name || o.id);
  }
  return h('section', { 'aria-labelledby': 'matrix-title' },
    h('h2', { id: 'matrix-title' }, t('contract.effective')),
    options.length ? h('ul', { class: 'options' }, options.map(o => h('li', { class: o.included ? 'included' : 'excluded' },
      h('strong', { title: o.id }, o.name || o.id), ' — ', o.included ? t('contract.option_in') : t('contract.option_out'),
      ' ', h('span', { lang: model.language || null }, o.text),
      o.included ? ' ' + t('contract.option_rows', { n: (o.activities || []).length, party: partyOf(model, o.delegate) }) : null))) : null,
    filtered(model, matrixTable(model, { highlight })),
    legend(model));
}

// The matrix under its filter (the HTML report's: a search and "what a party does").
function filtered(model, table) {
  return [matrixFilter(model, table), table];
}

function upgradeTab(base, contract, upgrade, href, tenant, lang) {
  if (!upgrade) {
    return h('section', {}, h('h2', {}, t('upgrade.title')),
      h('p', { class: 'empty' }, t('upgrade.none', { version: contract.version })));
  }
  const out = h('div', { 'aria-live': 'polite' });
  // Accepting is a consent given in the reader's name: it asks once more, saying so.
  const actions = h('div', { class: 'actions' });
  const ask = () => {
    const confirm = h('button', { type: 'button', class: 'primary', id: 'confirm-upgrade', onclick: () => send(confirm) },
      t('upgrade.confirm_yes', { version: upgrade.to }));
    const cancel = h('button', { type: 'button', id: 'cancel-upgrade', onclick: () => {
      put(actions, accept);
      accept.focus();
    } }, t('upgrade.confirm_no'));
    put(actions, h('div', { class: 'confirm', role: 'group', 'aria-labelledby': 'confirm-upgrade-text' },
      h('p', { id: 'confirm-upgrade-text' }, t('upgrade.confirm', { version: upgrade.to, tenant })),
      confirm, ' ', cancel));
    confirm.focus();
  };
  const accept = h('button', { type: 'button', class: 'primary', id: 'accept-upgrade', onclick: ask },
    t('upgrade.accept', { version: upgrade.to }));
  const send = async (button) => {
    button.disabled = true;
    try {
      // The consent is to the diff shown: its hash goes with it (a diff that changed
      // meanwhile is refused, and the page shows why).
      await api('POST', base + '/upgrade', { body: { version: upgrade.to, diff_sha256: upgrade.diff_sha256 } });
      announce(t('upgrade.done', { version: upgrade.to }));
      go(href('search') + '');
    } catch (err) {
      put(out, h('p', { class: 'error', role: 'alert' }, errorText(err)));
      button.disabled = false;
    }
  };
  put(actions, accept);
  return h('section', { 'aria-labelledby': 'upgrade-title' },
    h('h2', { id: 'upgrade-title' }, t('upgrade.pending', { from: upgrade.from, to: upgrade.to })),
    h('p', {}, t('upgrade.explain')),
    diffView(upgrade.diff, lang),
    session.canAccept ? actions
      : h('p', { class: 'muted', id: 'accept-denied' }, t('upgrade.approver_only',
        { tenant })),
    out);
}

// "Accepted by Jeanne Martin (ACME) on 6 December 2026, version 1 → 2."
function acceptedLine(k) {
  return t('contract.accepted', { name: k.by.name, org: k.by.organisation || t('contract.provider_org'),
                                  day: day(k.at), from: k.from, to: k.to });
}

// The consents to new versions: the evidence a provider attaches to the contract (a page
// that prints as it reads).
async function historyTab(base, contract) {
  const history = await get(base + '/history');
  const rows = [...history.consents].reverse();
  return h('section', { 'aria-labelledby': 'history-title', class: 'consents' },
    h('h2', { id: 'history-title' }, t('consents.title')),
    h('p', {}, t('consents.current', { id: history.contract, tenant: history.tenant_name,
                                       matrix: history.matrix, version: history.version })),
    h('p', { class: 'muted' }, t('consents.explain')),
    rows.length === 0 ? h('p', { class: 'empty' }, t('consents.empty', { version: contract.version })) :
      h('div', { class: 'table-wrap' }, h('table', { class: 'list consents' },
        h('thead', {}, h('tr', {}, ['consents.at', 'consents.versions', 'consents.by', 'consents.identity', 'consents.diff']
          .map(k => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows.map(k => h('tr', {},
          h('td', {}, h('time', { datetime: k.at }, day(k.at)), h('br'), h('small', {}, k.at)),
          h('td', {}, `${k.from} → ${k.to}`),
          h('td', {}, h('strong', {}, k.by.name), ' (', k.by.organisation || t('contract.provider_org'), ')',
            k.by.email ? [h('br'), k.by.email] : null),
          h('td', {}, k.by.kind === 'user' ? [h('small', {}, k.by.issuer), h('br'), h('code', {}, k.by.subject)]
            : h('small', {}, t('consents.token'))),
          h('td', {}, h('code', { class: 'hash' }, k.diff_sha256))))))),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', id: 'print-history', onclick: () => window.print() }, t('consents.print'))));
}

function exportsTab(base, tenant, id) {
  const file = (format, ext, label, help) => h('li', {},
    h('button', { type: 'button', onclick: async e => {
      e.target.disabled = true;
      try { saveBlob(await getBlob(base + '/matrix?format=' + format), `${tenant}-${id}.${ext}`); }
      finally { e.target.disabled = false; }
    } }, label), ' ', h('span', { class: 'muted' }, help));
  return h('section', { 'aria-labelledby': 'exports-title' },
    h('h2', { id: 'exports-title' }, t('export.title')),
    h('ul', { class: 'exports' },
      h('li', {}, h('button', { type: 'button', onclick: () => go(`#/tenants/${tenant}/contracts/${id}/matrix?print=1`) },
        t('export.print')), ' ', h('span', { class: 'muted' }, t('export.print_help'))),
      file('xlsx', 'xlsx', t('export.xlsx'), t('export.xlsx_help')),
      file('oscal', 'oscal.json', t('export.oscal'), t('export.oscal_help')),
      file('csv', 'csv', t('export.csv'), t('export.csv_help')),
      file('md', 'md', t('export.md'), t('export.md_help'))));
}
