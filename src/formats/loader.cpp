#include "formats/loader.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/embedded.h"
#include "core/text.h"

namespace racine {

namespace {

std::string human_size(std::uint64_t bytes) {
  if (bytes >= (1ULL << 20))
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
  if (bytes >= 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{} bytes", bytes);
}

Error too_big(const std::string& path, std::uint64_t size, const Limits& limits) {
  return Error{path, 0, 0,
               fmt::format("input is {}, above the limit of {} (raise limits.max-bytes in "
                           ".racine.yaml to read it)",
                           human_size(size), human_size(limits.max_bytes))};
}

}  // namespace

Result<SourcePtr> load_text(std::string text, const std::string& display_path,
                            const Limits& limits) {
  if (text.size() > limits.max_bytes) return too_big(display_path, text.size(), limits);
  if (const auto bad = text::find_invalid_utf8(text)) {
    SourceFile tmp(display_path, text.substr(0, *bad + 1));
    const Position p = tmp.position(static_cast<std::uint32_t>(*bad));
    if (text[*bad] == '\0') {
      return Error{display_path, p.line, p.column,
                   "binary input (NUL byte): racine reads UTF-8 text"};
    }
    return Error{display_path, p.line, p.column,
                 fmt::format("invalid UTF-8 (byte 0x{:02X}): racine reads UTF-8 text",
                             static_cast<unsigned char>(text[*bad]))};
  }
  // A byte order mark is not part of the document.
  if (text::starts_with(text, "\xEF\xBB\xBF")) text.erase(0, 3);
  return SourcePtr(std::make_shared<SourceFile>(display_path, std::move(text)));
}

namespace {

// Reads what is left of `in` after `text`. A caller that knows the size reserves it,
// so that a large file is neither copied as its buffer grows nor held in a buffer up to
// twice its size.
Result<SourcePtr> read_rest(std::istream& in, std::string text, const std::string& display_path,
                            const Limits& limits) {
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limits.max_bytes) return too_big(display_path, text.size(), limits);
  }
  // A file that shrank while it was read, or grew past its reserved size.
  if (text.capacity() > 2 * text.size() + 4096) text.shrink_to_fit();
  return load_text(std::move(text), display_path, limits);
}

}  // namespace

Result<SourcePtr> load_stream(std::istream& in, const std::string& display_path,
                              const Limits& limits) {
  return read_rest(in, {}, display_path, limits);
}

Result<SourcePtr> load_file(const std::string& path, const Limits& limits) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return Error{path, 0, 0, "no such file"};
  if (fs::is_directory(status)) return Error{path, 0, 0, "is a directory, not a file"};
  std::uintmax_t size = 0;
  if (fs::is_regular_file(status)) {
    size = fs::file_size(path, ec);
    if (ec) size = 0;
    if (size > limits.max_bytes) return too_big(path, size, limits);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, 0, 0, "cannot be opened for reading"};
  std::string text;
  text.reserve(static_cast<std::size_t>(size));  // not zero-filled first
  return read_rest(in, std::move(text), path, limits);
}

SourcePtr builtin_matrix() {
  static const SourcePtr k_builtin = [] {
    const auto text = embedded::find("managed-kubernetes.md");
    return std::make_shared<SourceFile>(std::string(k_builtin_path), std::string(text));
  }();
  return k_builtin;
}

}  // namespace racine
