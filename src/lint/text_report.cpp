#include <fmt/format.h>

#include "core/escape.h"
#include "lint/report_writers.h"

namespace racine::lint {

namespace {

const char* color_of(Severity s) {
  switch (s) {
    case Severity::error: return "\x1b[1;31m";
    case Severity::warning: return "\x1b[1;33m";
    case Severity::info: return "\x1b[1;36m";
  }
  return "";
}

std::string plural(std::size_t n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// At most `n` characters of `s` (UTF-8), "..." marking a cut.
std::string at_most(const std::string& s, std::size_t n) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0U) == 0x80U) continue;
    if (chars++ == n) return s.substr(0, i) + "...";
  }
  return s;
}

}  // namespace

std::string write_text_report(const std::vector<FileReport>& reports, bool color,
                              Translate translate) {
  std::string out;
  const char* bold = color ? "\x1b[1m" : "";
  const char* reset = color ? "\x1b[0m" : "";
  for (const auto& r : reports) {
    if (r.error) continue;  // errors go to standard error, written by the caller
    for (const auto& d : r.diagnostics) {
      // The finding names its activity, so that it reads without the file open (unless
      // the message quotes the title already).
      std::string message = translate != nullptr && !d.form.empty()
                                ? fill_form(translate(d.form.c_str()), d.args)
                                : d.message;
      if (!d.activity.empty() && message.find(d.activity) == std::string::npos)
        message = fmt::format("'{}': {}", at_most(d.activity, 80), message);
      // The path and the message quote input: escaped, so that no line is forged.
      out += fmt::format("{}{}:{}:{} {}{}:{} {} [{}]\n", bold, text::escape_controls(r.path),
                         text::escape_controls(r.source->location(d.span.begin)), reset,
                         color ? color_of(d.severity) : "", to_string(d.severity), reset,
                         text::escape_controls(message), text::escape_controls(d.code));
    }
  }
  const ReportSummary s = summarize(reports);
  const std::size_t read = s.files - s.failed;
  if (read > 0) {
    out += fmt::format("{} checked: {}, {}, {}\n", read == 1 ? "1 file" : plural(read, "file"),
                       plural(s.errors, "error"), plural(s.warnings, "warning"),
                       plural(s.infos, "info"));
  }
  return out;
}

}  // namespace racine::lint
