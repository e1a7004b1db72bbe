#include "reports/page.h"

#include <fmt/format.h>

#include <cstdint>
#include <map>

#include "lint/linter.h"
#include "resolve/options.h"

namespace racine::reports {

HtmlExtras gather_page(const Matrix& m, const lint::Config& config, const Matrix* original,
                       const std::vector<std::string>& with) {
  HtmlExtras x;
  std::map<std::uint32_t, HtmlExtras::Key> by_line;
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    for (std::uint32_t a = 0; a < m.sections[s].activities.size(); ++a) {
      by_line[m.source->position(m.sections[s].activities[a].span.begin).line] = {s, a};
    }
  }
  for (const auto& d : lint::run(m, config)) {
    const auto it = by_line.find(m.source->position(d.span.begin).line);
    if (it != by_line.end()) {
      x.findings[it->second].push_back(
          fmt::format("{} {}: {}", d.code, to_string(d.severity), d.message));
    }
  }
  for (const Option& opt : m.options) {
    for (const auto& e : resolve::effects_of(m, opt)) {
      for (const auto& as : e.roles) {
        x.delegable[{{e.section, e.activity}, as.party}] =
            fmt::format("option {}: {}", opt.id, opt.text);
      }
    }
  }
  if (!with.empty() && original != nullptr) {
    if (auto r = resolve::apply(*original, with)) {
      for (const auto& c : r->changes) {
        for (std::size_t p = 0; p < c.before.size() && p < c.after.size(); ++p) {
          if (c.before[p] == c.after[p]) continue;
          const std::string was = c.before[p].to_string();
          x.changed[{{c.section, c.activity}, p}] =
              fmt::format("option {}: was {}", c.option, was.empty() ? "-" : was);
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

std::string html_page(const Matrix& m, const lint::Config& config, const Matrix* original,
                      const std::vector<std::string>& with) {
  return write_html(m, gather_page(m, config, original, with));
}

}  // namespace racine::reports
