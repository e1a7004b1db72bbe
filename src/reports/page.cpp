#include "reports/page.h"

#include <fmt/format.h>

#include <cstdint>
#include <map>

#include "lint/linter.h"
#include "reports/xlsx_writer.h"
#include "resolve/options.h"

namespace racine::reports {

namespace {

// The row each source line holds: (section, activity).
std::map<std::uint32_t, HtmlExtras::Key> rows_by_line(const Matrix& m) {
  std::map<std::uint32_t, HtmlExtras::Key> by_line;
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    for (std::uint32_t a = 0; a < m.sections[s].activities.size(); ++a) {
      by_line[m.source->position(m.sections[s].activities[a].span.begin).line] = {s, a};
    }
  }
  return by_line;
}

}  // namespace

std::vector<ReportFinding> gather_findings(const Matrix& m, const config::Config& config) {
  const auto by_line = rows_by_line(m);
  std::vector<ReportFinding> out;
  for (const auto& d : lint::run(m, config)) {
    ReportFinding f{d.code, d.severity, 0, d.activity, d.message};
    if (m.source) f.line = m.source->position(d.span.begin).line;
    if (const auto it = by_line.find(f.line); f.activity.empty() && it != by_line.end())
      f.activity = m.sections[it->second.first].activities[it->second.second].title;
    out.push_back(std::move(f));
  }
  return out;
}

HtmlExtras gather_page(const Matrix& m, const config::Config& config, const Matrix* original,
                       const std::vector<std::string>& with, std::string_view lang) {
  HtmlExtras x;
  x.lang = report_language(m, lang);
  const Labels& l = labels(x.lang);
  const auto by_line = rows_by_line(m);
  std::map<std::uint32_t, std::size_t> notes_by_line;
  for (std::size_t n = 0; n < m.notes.size(); ++n)
    notes_by_line[m.source->position(m.notes[n].span.begin).line] = n;
  for (auto& f : gather_findings(m, config)) {
    const auto it = by_line.find(f.line);
    const auto note = notes_by_line.find(f.line);
    if (f.line > 0 && it != by_line.end()) {
      x.findings[it->second].push_back(std::move(f));
    } else if (f.line > 0 && note != notes_by_line.end()) {
      x.note_findings[note->second].push_back(std::move(f));
    } else {
      x.other_findings.push_back(std::move(f));
    }
  }
  for (const Option& opt : m.options) {
    for (const auto& e : resolve::effects_of(m, opt)) {
      for (const auto& as : e.roles) {
        const auto [it, added] = x.delegable.insert_or_assign(
            {{e.section, e.activity}, as.party},
            fmt::format("{} {}{}{}", l.option, opt.id, l.colon, opt.text));
        if (added) ++x.option_cells[opt.id];
      }
    }
  }
  if (!with.empty() && original != nullptr) {
    if (auto r = resolve::apply(*original, with)) {
      for (const auto& c : r->changes) {
        for (std::size_t p = 0; p < c.before.size() && p < c.after.size(); ++p) {
          if (c.before[p] == c.after[p]) continue;
          const std::string was = c.before[p].to_string();
          x.changed[{{c.section, c.activity}, p}] = fmt::format(
              "{} {}{}{} {}", l.option, c.option, l.colon, l.was, was.empty() ? "-" : was);
        }
      }
    }
    for (const auto& w : with) {
      if (!x.applied.empty()) x.applied += ", ";
      x.applied += w;
    }
  }
  return x;
}

std::string html_page(const Matrix& m, const config::Config& config, const Matrix* original,
                      const std::vector<std::string>& with, std::string_view lang) {
  return write_html(m, gather_page(m, config, original, with, lang));
}

Result<std::string> xlsx_report(const Matrix& m, const config::Config& config,
                                std::string_view lang) {
  XlsxExtras x;
  x.lang = report_language(m, lang);
  x.findings = gather_findings(m, config);
  return write_xlsx(m, x);
}

}  // namespace racine::reports
