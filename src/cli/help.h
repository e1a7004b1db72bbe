#pragma once
// What `--help` and the man page say beyond CLI11's definition: each command's examples
// and exit statuses, and options described in words (a value's name, its allowed values,
// its default) instead of the parser's types. One source for both, so they never drift.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace racine::cli {

struct Example {
  std::string what;     // "Check the built-in matrix" (translated)
  std::string command;  // "racine lint"
};

// Examples and exit statuses of `app`, shown at the end of its help and in the man page.
// `exit_status` lists "0: ...", "1: ...", "2: ..." (translated); empty: the usual 0 and 2.
void document(CLI::App* app, std::vector<Example> examples,
              std::vector<std::string> exit_status = {});
const std::vector<Example>& examples_of(const CLI::App* app);
std::vector<std::string> exit_status_of(const CLI::App* app);

// An option as people read it: `--limit N`, "1 to 1000", "10".
struct OptionText {
  std::string value_name;             // "N", "FILE", "FORMAT"; empty for a flag
  std::string allowed;                // "text, json, sarif", "1 to 1000"; empty when anything goes
  std::string fallback;               // the default, when the parser knows it
  std::vector<std::string> excludes;  // "--database"
  bool range = false;                 // `allowed` is a range of numbers
  bool repeatable = false;
};
OptionText option_text(const CLI::Option* o);

// The option's description followed by its allowed values and default in words, as
// --help and the man page print it.
std::string option_description(const CLI::Option* o);

// The help formatter of racine: options in words, headings in the user's language.
// Installed on the root app before any sub-command is added (they inherit it).
std::shared_ptr<CLI::Formatter> help_formatter();

// Heads every sub-command list "Commands" (in the user's language), at every level.
void name_command_groups(CLI::App& root);

// The parser's error in plain words and in the user's language ("--limit: 0 is not
// between 1 and 1000"); CLI11's own text when it is not one racine knows.
// `command` is the command being parsed (its options are the suggestions for a mistyped
// one).
std::string parse_error_message(const CLI::ParseError& e, const CLI::App* command);

// The nearest of `names` to `word` (at most 2 edits, and fewer than half its letters),
// or "" when none is that near.
std::string nearest_word(std::string_view word, const std::vector<std::string>& names);

}  // namespace racine::cli
