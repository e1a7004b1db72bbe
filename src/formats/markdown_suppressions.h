#pragma once
// Markdown reader, suppressions: the `<!-- racine-disable... CODES -->` comments found in
// HTML blocks, inline HTML and table cells (docs/configuration.md, "Suppressions").

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/matrix.h"

namespace racine::markdown {

// One suppression comment: "<!-- racine-KIND CODES -->", at `offset` in the HTML searched.
struct CommentMatch {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string kind;   // disable-next-line, disable-line, disable or enable
  std::string codes;  // as written
};

// The suppression comments in `html`, in order; comments of other kinds are ignored.
std::vector<CommentMatch> find_suppression_comments(std::string_view html);

// The kind of suppression a comment's kind names.
Suppression::Kind suppression_kind(std::string_view kind);

// The rule codes a comment lists ("RAC101, rac105" -> RAC101, RAC105), upper-cased.
std::vector<std::string> suppression_codes(std::string_view codes);

}  // namespace racine::markdown
