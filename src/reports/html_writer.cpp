#include "reports/html_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "reports/palette.h"

namespace racine::reports {

namespace {

constexpr std::string_view k_style = R"(
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222; background: #fff; }
header { padding: 12px 16px 4px; }
h1 { font-size: 1.3em; margin: 0 0 6px; }
h2 { font-size: 1.05em; margin: 16px 16px 6px; }
#toolbar { position: sticky; top: 0; z-index: 5; background: #fff; padding: 8px 16px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
#toolbar input, #toolbar select { font: inherit; padding: 6px 8px; border: 1px solid #bbb; border-radius: 6px; }
#toolbar input { flex: 1 1 220px; }
.applied { color: #1e8449; font-weight: 600; margin: 4px 0; }
.legend { margin: 4px 0; font-size: .9em; }
.legend-item { display: inline-block; margin-right: 12px; }
.wrap { overflow: auto; max-height: calc(100vh - 120px); }
table { border-collapse: separate; border-spacing: 0; width: 100%; }
th, td { padding: 6px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f4f6f7; z-index: 2; }
tbody th { position: sticky; left: 0; background: #fff; font-weight: normal; z-index: 1; min-width: 16em; }
thead th:first-child { left: 0; z-index: 3; }
tr.section th { background: #eaf2f8; font-weight: 600; position: sticky; left: 0; }
tr.note td { font-size: .85em; color: #444; background: #fbfcfc; position: sticky; left: 0; }
.marker { font-weight: 700; color: #b9770e; margin: 0 2px; }
.note-option { font-weight: 600; color: #1e8449; }
td.roles { text-align: center; white-space: nowrap; }
.role { display: inline-block; min-width: 1.6em; padding: 1px 4px; margin: 1px; border-radius: 4px; font-weight: 700; font-size: .85em; text-align: center; }
td.delegable { outline: 2px dashed #d68910; outline-offset: -3px; cursor: help; }
td.changed { background: #e9f7ef; }
.findings { list-style: none; margin: 2px 0 0; padding: 0; }
.finding { display: block; font-size: .85em; }
.finding .code { font-family: ui-monospace, monospace; }
.finding-error { color: #b03a2e; font-weight: 700; }
.finding-warning { color: #9a5b00; font-weight: 400; }
.finding-info { color: #8a939b; font-weight: 400; font-size: .78em; font-style: italic; }
tr.flagged-error > th, tr.flagged-error > td:first-child { border-left: 4px solid #c0392b; }
tr.flagged-warning > th, tr.flagged-warning > td:first-child { border-left: 4px solid #d68910; }
tr.flagged-info > th, tr.flagged-info > td:first-child { border-left: 4px solid #e5e8e8; }
#other-findings .findings, #options dl { margin: 0 16px; }
#options dt { font-weight: 600; }
#options dd { margin: 2px 0 8px 1.5em; }
.option-cells { color: #555; font-size: .9em; }
.gray { margin: 16px; color: #555; }
figure { margin: 12px 16px; }
figcaption { font-weight: 600; }
svg { max-width: 100%; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  #toolbar { display: none; }
  body { font-size: 10pt; }
  header { padding: 0 0 4px; }
  .wrap { max-height: none; overflow: visible; }
  thead { display: table-header-group; }
  thead th, tbody th, tr.section th, tr.note td { position: static; }
  tbody th { min-width: 0; }
  tr { break-inside: avoid; }
  figure, #options, #other-findings { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@media (max-width: 600px) { body { font-size: 14px; } tbody th { min-width: 10em; } }
)";

// Filters rows as one types (case and accents ignored) and by party. A section's row
// and its notes are hidden while a filter leaves none of its activities.
constexpr std::string_view k_script = R"(
(function () {
  const fold = s => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const search = document.getElementById('search');
  const party = document.getElementById('party');
  const rows = Array.from(document.querySelectorAll('tbody tr.activity'));
  const others = Array.from(document.querySelectorAll('tbody tr.section, tbody tr.note'));
  function apply() {
    const q = fold(search.value.trim());
    const p = party.value;
    const shown = new Set();
    for (const r of rows) {
      const text = r.dataset.text;
      const byText = q === '' || text.includes(q);
      const byParty = p === '' || (r.dataset['does'] || '').split(' ').includes(p);
      r.hidden = !(byText && byParty);
      if (!r.hidden) shown.add(r.dataset.section);
    }
    const filtered = q !== '' || p !== '';
    for (const o of others) o.hidden = filtered && o.dataset.section !== '-1' && !shown.has(o.dataset.section);
    document.getElementById('count').textContent = rows.filter(r => !r.hidden).length + ' / ' + rows.length;
  }
  search.addEventListener('input', apply);
  party.addEventListener('change', apply);
  for (const r of rows) r.dataset.text = fold(r.textContent);
  apply();
})();
)";

constexpr std::array<char, 6> k_letters = {'R', 'A', 'C', 'I', 'S', 'D'};

std::string role_badges(const RoleSet& roles) {
  std::string out;
  for (const char l : roles.to_string()) {
    const bool known = std::find(k_letters.begin(), k_letters.end(), l) != k_letters.end();
    out += fmt::format("<span class=\"role {}\">{}</span>",
                       known ? fmt::format("role-{}", l) : std::string("role-other"), l);
  }
  return out;
}

// Bars of R, A, C, I per party: a titled figure, a vertical axis of activities with its
// ticks, each bar's count above it and its letter below, the party's name under its bars.
std::string chart(const Matrix& m, const Labels& l) {
  const std::string letters = m.roles.letters;
  std::vector<std::vector<std::size_t>> counts(m.parties.size(),
                                               std::vector<std::size_t>(letters.size(), 0));
  std::size_t max = 1;
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
        for (std::size_t l2 = 0; l2 < letters.size(); ++l2) {
          if (a.cells[p].roles.has_letter(letters[l2])) max = std::max(max, ++counts[p][l2]);
        }
      }
    }
  }
  const int bar = 18;
  const int left = 64;  // room for the axis title and the ticks
  const int top = 16;
  const int group = static_cast<int>(letters.size()) * (bar + 4) + 24;
  const int width = left + group * static_cast<int>(m.parties.size()) + 8;
  const int height = 200;
  const int total = top + height + 44;
  const std::string title = html_escape(l.chart_title);
  std::string out = fmt::format(
      "<figure id=\"chart-figure\"><figcaption id=\"chart-title\">{}</figcaption>\n"
      "<svg id=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
      title, width, total, width, total, title);
  // The axis, its title and its ticks (0, half, max).
  out += fmt::format(
      "<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#888\"/>"
      "<line class=\"axis\" x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" stroke=\"#888\"/>"
      "<text class=\"axis-title\" x=\"14\" y=\"{4}\" font-size=\"12\" text-anchor=\"middle\" "
      "transform=\"rotate(-90 14 {4})\">{5}</text>",
      left - 8, top, top + height, width - 4, top + height / 2, html_escape(l.chart_axis));
  for (const std::size_t v : {std::size_t{0}, max / 2, max}) {
    const int y =
        top + height - static_cast<int>(static_cast<double>(v) / static_cast<double>(max) * height);
    out += fmt::format(
        "<text class=\"tick\" x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
        left - 12, y + 4, v);
  }
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    const int x0 = left + static_cast<int>(p) * group;
    for (std::size_t r = 0; r < letters.size(); ++r) {
      const int h =
          static_cast<int>(static_cast<double>(counts[p][r]) / static_cast<double>(max) * height);
      const int x = x0 + static_cast<int>(r) * (bar + 4);
      out += fmt::format(
          "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" style=\"fill: "
          "var(--role-{})\"><title>{} {}{}{}</title></rect>"
          "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>"
          "<text class=\"bar-letter\" x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"700\" "
          "text-anchor=\"middle\">{}</text>",
          x, top + height - h, bar, h, letters[r], html_escape(m.parties[p].name), letters[r],
          l.colon, counts[p][r], x + bar / 2, top + height - h - 3, counts[p][r], x + bar / 2,
          top + height + 14, letters[r]);
    }
    out += fmt::format("<text class=\"party\" x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>", x0,
                       top + height + 34, html_escape(m.parties[p].name));
  }
  out += "</svg></figure>\n";
  return out;
}

std::string_view severity_class(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
  }
  return "error";
}

// A list of findings, each styled by its severity: "RAC202 erreur : message"; with
// `with_where` (a finding on no row), its line and activity before the message.
std::string finding_list(const std::vector<ReportFinding>& findings, const Labels& l,
                         bool with_where) {
  std::string out = "<ul class=\"findings\">";
  for (const auto& f : findings) {
    std::string where;
    if (with_where && f.line > 0) {
      std::string word(l.line);  // "line 33: ", "ligne 33 : "
      word[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
      where = fmt::format("{} {}{}", word, f.line, l.colon);
    }
    if (with_where && !f.activity.empty()) where += fmt::format("'{}'{}", f.activity, l.colon);
    out += fmt::format(
        "<li class=\"finding finding-{}\"><span class=\"code\">{}</span> {}{}{}{}</li>",
        severity_class(f.severity), html_escape(f.code), html_escape(severity_label(l, f.severity)),
        l.colon, html_escape(where), html_escape(f.message));
  }
  out += "</ul>";
  return out;
}

// The worst severity of `findings` (error before warning before info).
Severity worst(const std::vector<ReportFinding>& findings) {
  Severity w = Severity::info;
  for (const auto& f : findings) w = std::min(w, f.severity);
  return w;
}

// The option a note explains, when it explains one.
const Option* option_of_note(const Matrix& m, std::size_t n) {
  const Note& note = m.notes[n];
  for (const Option& o : m.options) {
    if (o.note == static_cast<int>(n) || (o.marker == note.marker && o.text == note.text))
      return &o;
  }
  return nullptr;
}

std::string note_row(const Matrix& m, std::size_t n, const HtmlExtras& x, const Labels& l) {
  const Note& note = m.notes[n];
  std::string option;
  if (const Option* o = option_of_note(m, n)) {
    option = fmt::format(" <span class=\"note-option\">({} {})</span>", html_escape(l.option),
                         html_escape(o->id));
  }
  const auto f = x.note_findings.find(n);
  const bool has_findings = f != x.note_findings.end() && !f->second.empty();
  return fmt::format(
      "<tr class=\"note{}\" data-section=\"{}\"><td colspan=\"{}\"><span "
      "class=\"marker\">{}</span> {}{}{}</td></tr>\n",
      has_findings ? fmt::format(" flagged flagged-{}", severity_class(worst(f->second)))
                   : std::string(),
      note.after_section, m.parties.size() + 1, html_escape(note.marker), html_escape(note.text),
      option, has_findings ? finding_list(f->second, l, false) : std::string());
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string write_html(const Matrix& m, const HtmlExtras& extras) {
  const Labels& l = labels(extras.lang);
  const std::string title = html_escape(m.title.empty() ? m.id : m.title);
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"generator\" "
      "content=\"racine\">\n<title>{}</title>\n<style>{}{}</style>\n</head>\n<body>\n<header>\n"
      "<h1>{}</h1>\n",
      lang_code(extras.lang), title, k_style, k_palette_css, title);
  if (!extras.applied.empty()) {
    out += fmt::format("<p class=\"applied\">{}</p>\n",
                       html_escape(fmt::format(fmt::runtime(l.applied), extras.applied)));
  }
  out += fmt::format("<p class=\"legend\">{}", html_escape(l.legend));
  for (const char c : m.roles.letters) {
    out += fmt::format(" <span class=\"legend-item\">{} {}</span>",
                       role_badges(RoleSet::from_letters(std::string(1, c))),
                       html_escape(role_name(l, m.roles, c)));
  }
  out += "</p>\n</header>\n";
  out += fmt::format(
      "<div id=\"toolbar\" class=\"tools\"><input id=\"search\" type=\"search\" "
      "placeholder=\"{0}\" aria-label=\"{0}\">\n<select id=\"party\" aria-label=\"{1}\"><option "
      "value=\"\">{2}</option>",
      html_escape(l.search), html_escape(l.party), html_escape(l.all_parties));
  for (const auto& p : m.parties) {
    out += fmt::format("<option value=\"{}\">{}</option>", html_escape(p.id), html_escape(p.name));
  }
  out += "</select> <span id=\"count\"></span></div>\n";
  out += fmt::format("<div class=\"wrap\">\n<table id=\"matrix\">\n<thead><tr><th>{}</th>",
                     html_escape(l.activity));
  for (const auto& p : m.parties) out += fmt::format("<th>{}</th>", html_escape(p.name));
  out += "</tr></thead>\n<tbody>\n";
  // Notes before every section first, then each section, its rows and its notes.
  for (std::size_t n = 0; n < m.notes.size(); ++n) {
    if (m.notes[n].after_section < 0 ||
        m.notes[n].after_section >= static_cast<int>(m.sections.size()))
      out += note_row(m, n, extras, l);
  }
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    const Section& sec = m.sections[s];
    if (!sec.title.empty()) {
      out +=
          fmt::format("<tr class=\"section\" data-section=\"{}\"><th colspan=\"{}\">{}</th></tr>\n",
                      s, m.parties.size() + 1, html_escape(sec.title));
    }
    for (std::uint32_t i = 0; i < sec.activities.size(); ++i) {
      const Activity& a = sec.activities[i];
      const HtmlExtras::Key key{s, i};
      std::string does;
      for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
        if (a.cells[p].roles.has(Role::responsible) || a.cells[p].roles.has(Role::accountable) ||
            a.cells[p].roles.has(Role::driver)) {
          if (!does.empty()) does += ' ';
          does += html_escape(m.parties[p].id);
        }
      }
      const auto f = extras.findings.find(key);
      const bool has_findings = f != extras.findings.end() && !f->second.empty();
      out += fmt::format(
          "<tr class=\"activity{}\" id=\"{}\" data-section=\"{}\" data-does=\"{}\"><th>{}",
          has_findings ? fmt::format(" flagged flagged-{}", severity_class(worst(f->second)))
                       : std::string(),
          html_escape(a.id), s, does, html_escape(a.title));
      for (const auto& mk : a.title_markers)
        out += fmt::format("<span class=\"marker\">{}</span>", html_escape(mk));
      if (has_findings) out += finding_list(f->second, l, false);
      out += "</th>";
      for (std::size_t p = 0; p < m.parties.size(); ++p) {
        const Cell* c = p < a.cells.size() ? &a.cells[p] : nullptr;
        std::string cls = "roles";
        std::string tip;
        if (const auto d = extras.delegable.find({key, p}); d != extras.delegable.end()) {
          cls += " delegable";
          tip = d->second;
        }
        if (const auto ch = extras.changed.find({key, p}); ch != extras.changed.end()) {
          cls += " changed";
          if (!tip.empty()) tip += '\n';
          tip += ch->second;
        }
        std::string inner;
        if (c != nullptr && c->present) {
          inner = role_badges(c->roles);
          for (const auto& mk : c->markers())
            inner += fmt::format("<span class=\"marker\">{}</span>", html_escape(mk));
          // The cell's qualifier, as written: "R (Build)".
          if (!c->remark().empty())
            inner += fmt::format("<span class=\"remark\"> ({})</span>", html_escape(c->remark()));
        }
        out +=
            fmt::format("<td class=\"{}\"{}>{}</td>", cls,
                        tip.empty() ? "" : fmt::format(" title=\"{}\"", html_escape(tip)), inner);
      }
      out += "</tr>\n";
    }
    for (std::size_t n = 0; n < m.notes.size(); ++n) {
      if (m.notes[n].after_section == static_cast<int>(s)) out += note_row(m, n, extras, l);
    }
  }
  out += "</tbody>\n</table>\n</div>\n";
  if (!m.options.empty()) {
    out += fmt::format("<section id=\"options\"><h2>{}</h2>\n<dl>", html_escape(l.options));
    for (const Option& o : m.options) {
      const auto cells = extras.option_cells.find(o.id);
      const std::size_t n = cells == extras.option_cells.end() ? 0 : cells->second;
      out += fmt::format(
          "<dt><span class=\"marker\">{}</span> {} {}</dt><dd>{}<br><span "
          "class=\"option-cells\">{}</span></dd>",
          html_escape(o.marker), html_escape(l.option), html_escape(o.id), html_escape(o.text),
          html_escape(fmt::format(fmt::runtime(l.option_cells), n)));
    }
    out += "</dl></section>\n";
  }
  if (!extras.other_findings.empty()) {
    out += fmt::format("<section id=\"other-findings\"><h2>{}</h2>\n{}</section>\n",
                       html_escape(l.findings), finding_list(extras.other_findings, l, true));
  }
  if (m.gray_zone) out += fmt::format("<p class=\"gray\">{}</p>\n", html_escape(m.gray_zone->text));
  out += chart(m, l);
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", k_script);
  return out;
}

}  // namespace racine::reports
