#include "formats/markdown_suppressions.h"

#include <algorithm>

#include "core/text.h"
#include "formats/markdown_table.h"

namespace racine::markdown {

std::vector<CommentMatch> find_suppression_comments(std::string_view html) {
  std::vector<CommentMatch> out;
  std::size_t pos = 0;
  while ((pos = html.find("<!--", pos)) != std::string_view::npos) {
    const std::size_t close = html.find("-->", pos + 4);
    if (close == std::string_view::npos) break;
    const std::string_view body = text::trim(html.substr(pos + 4, close - pos - 4));
    if (text::starts_with(body, "racine-")) {
      std::size_t k = 7;
      while (k < body.size() && ((body[k] >= 'a' && body[k] <= 'z') || body[k] == '-')) ++k;
      CommentMatch m;
      m.offset = pos;
      m.length = close + 3 - pos;
      m.kind = std::string(body.substr(7, k - 7));
      m.codes = std::string(body.substr(k));
      if (m.kind == "disable-next-line" || m.kind == "disable-line" || m.kind == "disable" ||
          m.kind == "enable") {
        out.push_back(std::move(m));
      }
    }
    pos = close + 3;
  }
  return out;
}
Suppression::Kind suppression_kind(std::string_view kind) {
  return kind == "disable-next-line" ? Suppression::Kind::next_line
         : kind == "disable-line"    ? Suppression::Kind::line
         : kind == "disable"         ? Suppression::Kind::range_start
                                     : Suppression::Kind::range_end;
}

std::vector<std::string> suppression_codes(std::string_view codes) {
  std::vector<std::string> out;
  for (const auto& w : split_names(codes)) {
    for (const auto& code : text::words(w)) {
      std::string upper = code;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; });
      out.push_back(upper);
    }
  }
  return out;
}

}  // namespace racine::markdown
