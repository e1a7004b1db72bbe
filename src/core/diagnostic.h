#pragma once
// Diagnostics are data: a flaw in the user's file is a value with a code, a severity,
// a span and a message, returned beside whatever could be read.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/source.h"

namespace racine {

enum class Severity : std::uint8_t { error, warning, info };

// "error", "warning", "info".
std::string_view to_string(Severity s);
// Parses "error", "warning", "info" (also "note" as info); nullopt otherwise.
std::optional<Severity> parse_severity(std::string_view s);

// One finding in one file.
struct Diagnostic {
  std::string code;  // "RAC202"
  Severity severity = Severity::error;
  Span span;             // where in the file
  std::string message;   // lower-case start, no trailing period
  std::string activity;  // title of the activity concerned, empty when none
  // The message as a form with named values ("no party is Accountable ({holdings})",
  // {{"holdings", "Client C"}}), which a catalog translates (po/, the portal's); empty
  // for a message that has none (it is said in English only).
  std::string form;
  std::vector<std::pair<std::string, std::string>> args;
};

// A form with its named values: "{name}" replaced by the value of `name` (a name
// without a value stays as written).
std::string fill_form(std::string_view form,
                      const std::vector<std::pair<std::string, std::string>>& args);

// Marks a lint message form for the catalogs' extraction (scripts/update-po.sh); it is
// the form itself.
#define RACINE_FORM(s) s

}  // namespace racine
