#pragma once
// Markdown reader, first stage: the YAML front matter between `---` lines at the top of
// the document (title, lang or language, id or slug; other keys are ignored).

#include <cstdint>
#include <string>

#include "core/result.h"
#include "core/source.h"

namespace racine::markdown {

struct FrontMatter {
  std::uint32_t lines = 0;  // lines taken, closing delimiter included; 0: none
  std::string title;
  std::string language;
  std::string id;
};

// The front matter of `src`, or an Error (unterminated, longer than
// k_max_front_matter_bytes, or invalid YAML) with its line and column.
Result<FrontMatter> read_front_matter(const SourceFile& src);

}  // namespace racine::markdown
