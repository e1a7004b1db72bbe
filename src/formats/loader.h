#pragma once
// Loading input: files, standard input and the embedded default, with the checks that
// every reader needs first (missing path, directory, size, binary, invalid UTF-8).

#include <istream>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/source.h"
#include "formats/limits.h"

namespace racine {

// Path shown for the embedded default matrix.
inline constexpr std::string_view k_builtin_path = "<builtin:managed-kubernetes>";

// Reads `path` ("-" for standard input is the caller's job: see load_stream).
Result<SourcePtr> load_file(const std::string& path, const Limits& limits);

// Reads a whole stream, shown as `display_path`, refusing more than limits.max_bytes.
Result<SourcePtr> load_stream(std::istream& in, const std::string& display_path,
                              const Limits& limits);

// Wraps text that is already in memory, with the same checks.
Result<SourcePtr> load_text(std::string text, const std::string& display_path,
                            const Limits& limits);

// The seed matrix compiled into the binary, as `<builtin:managed-kubernetes>`.
SourcePtr builtin_matrix();

}  // namespace racine
