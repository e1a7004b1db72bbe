#include "formats/markdown_front_matter.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/text.h"
#include "formats/limits.h"

namespace racine::markdown {

Result<FrontMatter> read_front_matter(const SourceFile& src) {
  FrontMatter fm;
  if (src.line_count() == 0 || text::trim(src.line(1)) != "---") return fm;
  std::uint32_t close = 0;
  for (std::uint32_t l = 2; l <= src.line_count(); ++l) {
    const auto t = text::trim(src.line(l));
    if (t == "---" || t == "...") {
      close = l;
      break;
    }
    // Metadata is a few lines: refused past the limit, before the YAML parser sees it.
    if (src.line_start(l) + src.line(l).size() - src.line_start(2) > k_max_front_matter_bytes) {
      return Error{src.path(), l, 1,
                   fmt::format("front matter is longer than {} KiB at this line: it holds a few "
                               "lines of metadata (title, lang, id); close it with '---'",
                               k_max_front_matter_bytes >> 10)};
    }
  }
  if (close == 0) {
    return Error{src.path(), 1, 1, "unterminated front matter: no closing '---' line"};
  }
  fm.lines = close;
  const std::uint32_t begin = src.line_start(2);
  const std::uint32_t end = src.line_start(close);
  const std::string yaml(src.text().substr(begin, end - begin));
  try {
    const YAML::Node doc = YAML::Load(yaml);
    if (doc.IsMap()) {
      if (doc["title"] && doc["title"].IsScalar()) fm.title = doc["title"].as<std::string>();
      for (const char* key : {"lang", "language"}) {
        if (doc[key] && doc[key].IsScalar()) fm.language = doc[key].as<std::string>();
      }
      for (const char* key : {"id", "slug"}) {
        if (doc[key] && doc[key].IsScalar()) fm.id = text::slugify(doc[key].as<std::string>());
      }
    }
  } catch (const YAML::Exception& e) {
    return Error{src.path(), static_cast<std::uint32_t>(e.mark.line + 2),
                 static_cast<std::uint32_t>(e.mark.column + 1),
                 fmt::format("invalid front matter: {}", e.msg)};
  }
  return fm;
}
}  // namespace racine::markdown
