#pragma once
// Helpers for unit tests: read Markdown from a string, lint it, find diagnostics.

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/matrix.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "lint/linter.h"

namespace racine::test {

inline Result<Matrix> read_md(std::string text, ReadOptions options = {}) {
  auto src = std::make_shared<SourceFile>("t.md", std::move(text));
  return read_markdown(src, options);
}

// The built-in matrix, read once.
inline const Matrix& seed() {
  static const Matrix m = [] {
    ReadOptions o;
    o.id = "managed-kubernetes";
    return std::move(*read_markdown(builtin_matrix(), o));
  }();
  return m;
}

// "CODE@line" for every finding, in order.
inline std::vector<std::string> lint_md(const std::string& text,
                                        const config::Config& config = {}) {
  auto m = read_md(text, config.read_options(""));
  if (!m) return {"ERROR: " + m.error().to_string()};
  std::vector<std::string> out;
  for (const auto& d : lint::run(*m, config)) {
    out.push_back(d.code + "@" + std::to_string(m->source->position(d.span.begin).line));
  }
  return out;
}

}  // namespace racine::test
