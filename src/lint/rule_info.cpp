#include "lint/rule_info.h"

#include "core/text.h"
#include "lint/rule.h"

namespace racine::lint {

namespace {

// The first paragraph after the page's title.
std::string first_paragraph(std::string_view page) {
  std::string out;
  std::size_t pos = 0;
  bool started = false;
  while (pos < page.size()) {
    const auto nl = page.find('\n', pos);
    const std::string_view line = page.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? page.size() : nl + 1;
    const std::string_view t = text::trim(line);
    if (t.empty()) {
      if (started) break;
      continue;
    }
    if (t.front() == '#') continue;
    started = true;
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

}  // namespace

std::vector<RuleInfo> rule_infos(const std::string& base) {
  std::vector<RuleInfo> out;
  for (const auto& r : all_rules()) {
    RuleInfo info;
    info.code = std::string(r.code);
    info.slug = std::string(r.slug);
    info.severity = r.severity;
    info.summary = std::string(r.summary);
    const auto page = rule_page(r.code);
    info.description = first_paragraph(page);
    info.help = std::string(page);
    info.help_uri = (base.empty() ? std::string(k_default_help_uri_base) : base) + info.code;
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace racine::lint
