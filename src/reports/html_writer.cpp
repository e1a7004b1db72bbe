#include "reports/html_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace racine::reports {

namespace {

constexpr std::string_view k_style = R"(
:root { --r: #c0392b; --a: #8e44ad; --c: #2471a3; --i: #7f8c8d; --s: #d68910; --d: #1e8449; --x: #555; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222; background: #fff; }
header { padding: 12px 16px; border-bottom: 1px solid #ddd; }
h1 { font-size: 1.3em; margin: 0 0 8px; }
.tools { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.tools input, .tools select { font: inherit; padding: 6px 8px; border: 1px solid #bbb; border-radius: 6px; }
.tools input { flex: 1 1 220px; }
.applied { color: #1e8449; font-weight: 600; }
.legend span { display: inline-block; margin-right: 10px; }
.wrap { overflow: auto; max-height: calc(100vh - 150px); }
table { border-collapse: separate; border-spacing: 0; width: 100%; }
th, td { padding: 6px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f4f6f7; z-index: 2; }
tbody th { position: sticky; left: 0; background: #fff; font-weight: normal; z-index: 1; min-width: 16em; }
thead th:first-child { left: 0; z-index: 3; }
tr.section th { background: #eaf2f8; font-weight: 600; position: sticky; left: 0; }
td.roles { text-align: center; white-space: nowrap; }
.role { display: inline-block; min-width: 1.6em; padding: 1px 4px; margin: 1px; border-radius: 4px; color: #fff; font-weight: 700; font-size: .85em; }
.role-R { background: var(--r); } .role-A { background: var(--a); } .role-C { background: var(--c); }
.role-I { background: var(--i); } .role-S { background: var(--s); } .role-D { background: var(--d); }
.role-other { background: var(--x); }
td.delegable { outline: 2px dashed #d68910; outline-offset: -3px; cursor: help; }
td.changed { background: #e9f7ef; }
tr.finding > th { border-left: 4px solid #c0392b; }
.finding-list { color: #c0392b; font-size: .85em; display: block; }
.gray { margin: 16px; color: #555; }
svg { margin: 12px 16px; max-width: 100%; }
@media print { .tools { display: none; } .wrap { max-height: none; overflow: visible; } thead th, tbody th { position: static; } }
@media (max-width: 600px) { body { font-size: 14px; } tbody th { min-width: 10em; } }
)";

// Filters rows as one types (case and accents ignored) and by party.
constexpr std::string_view k_script = R"(
(function () {
  const fold = s => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const search = document.getElementById('search');
  const party = document.getElementById('party');
  const rows = Array.from(document.querySelectorAll('tbody tr.activity'));
  const sections = Array.from(document.querySelectorAll('tbody tr.section'));
  function apply() {
    const q = fold(search.value.trim());
    const p = party.value;
    for (const r of rows) {
      const text = r.dataset.text;
      const byText = q === '' || text.includes(q);
      const byParty = p === '' || (r.dataset['does'] || '').split(' ').includes(p);
      r.hidden = !(byText && byParty);
    }
    for (const s of sections) {
      let next = s.nextElementSibling, visible = false;
      while (next && !next.classList.contains('section')) { if (!next.hidden) visible = true; next = next.nextElementSibling; }
      s.hidden = !visible;
    }
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

// Bars of R, A, C, I per party.
std::string chart(const Matrix& m) {
  const std::string letters = m.roles.letters;
  std::vector<std::vector<std::size_t>> counts(m.parties.size(),
                                               std::vector<std::size_t>(letters.size(), 0));
  std::size_t max = 1;
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
        for (std::size_t l = 0; l < letters.size(); ++l) {
          if (a.cells[p].roles.has_letter(letters[l])) max = std::max(max, ++counts[p][l]);
        }
      }
    }
  }
  const int bar = 18;
  const int group = static_cast<int>(letters.size()) * (bar + 4) + 24;
  const int width = 40 + group * static_cast<int>(m.parties.size());
  const int height = 200;
  std::string out = fmt::format(
      "<svg id=\"chart\" role=\"img\" aria-label=\"Roles per party\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" "
      "xmlns=\"http://www.w3.org/2000/svg\">",
      width, height + 56, width, height + 56);
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    const int x0 = 40 + static_cast<int>(p) * group;
    for (std::size_t l = 0; l < letters.size(); ++l) {
      const int h =
          static_cast<int>(static_cast<double>(counts[p][l]) / static_cast<double>(max) * height);
      const int x = x0 + static_cast<int>(l) * (bar + 4);
      out += fmt::format(
          "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" style=\"fill: "
          "var(--{})\"><title>{} {}: {}</title></rect>"
          "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
          x, 16 + height - h, bar, h, static_cast<char>(std::tolower(letters[l])),
          html_escape(m.parties[p].name), letters[l], counts[p][l], x + bar / 2,
          16 + height - h - 3, counts[p][l]);
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>", x0, height + 32,
                       html_escape(m.parties[p].name));
  }
  out += "</svg>";
  return out;
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
  const std::string title = html_escape(m.title.empty() ? m.id : m.title);
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"generator\" "
      "content=\"racine\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<header>\n"
      "<h1>{}</h1>\n",
      html_escape(m.language.empty() ? "en" : m.language), title, k_style, title);
  if (!extras.applied.empty()) {
    out += fmt::format(
        "<p class=\"applied\">Effective matrix under option {}: changed cells are "
        "highlighted.</p>\n",
        html_escape(extras.applied));
  }
  out +=
      "<div class=\"tools\"><input id=\"search\" type=\"search\" placeholder=\"Search activities\" "
      "aria-label=\"Search activities\">\n<select id=\"party\" aria-label=\"Party\"><option "
      "value=\"\">All parties</option>";
  for (const auto& p : m.parties) {
    out += fmt::format("<option value=\"{}\">{}</option>", html_escape(p.id), html_escape(p.name));
  }
  out += "</select> <span id=\"count\"></span>\n<span class=\"legend\">";
  for (const char l : m.roles.letters)
    out += fmt::format("<span>{}</span>", role_badges(RoleSet::from_letters(std::string(1, l))));
  out +=
      "</span></div>\n</header>\n<div class=\"wrap\">\n<table "
      "id=\"matrix\">\n<thead><tr><th>Activity</th>";
  for (const auto& p : m.parties) out += fmt::format("<th>{}</th>", html_escape(p.name));
  out += "</tr></thead>\n<tbody>\n";
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    const Section& sec = m.sections[s];
    if (!sec.title.empty()) {
      out += fmt::format("<tr class=\"section\"><th colspan=\"{}\">{}</th></tr>\n",
                         m.parties.size() + 1, html_escape(sec.title));
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
      out += fmt::format("<tr class=\"activity{}\" id=\"{}\" data-does=\"{}\"><th>{}",
                         f != extras.findings.end() ? " finding" : "", html_escape(a.id), does,
                         html_escape(a.title));
      if (f != extras.findings.end()) {
        for (const auto& msg : f->second)
          out += fmt::format("<span class=\"finding-list\">{}</span>", html_escape(msg));
      }
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
          for (const auto& mk : c->markers) inner += html_escape(mk);
        }
        out +=
            fmt::format("<td class=\"{}\"{}>{}</td>", cls,
                        tip.empty() ? "" : fmt::format(" title=\"{}\"", html_escape(tip)), inner);
      }
      out += "</tr>\n";
    }
  }
  out += "</tbody>\n</table>\n</div>\n";
  if (m.gray_zone) out += fmt::format("<p class=\"gray\">{}</p>\n", html_escape(m.gray_zone->text));
  out += chart(m);
  out += fmt::format("\n<script>{}</script>\n</body>\n</html>\n", k_script);
  return out;
}

}  // namespace racine::reports
