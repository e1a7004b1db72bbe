// The sentences of the text output of `who`, `duties` and `options`, in the five
// languages of the corpus: the text output speaks the matrix's language, else English,
// unless --lang says otherwise (docs/query.md, "Language of answers").
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "core/matrix.h"

namespace racine::cli {

struct Phrases {
  const char* code;
  // who
  const char* uncertain;    // candidates follow
  const char* not_covered;  // {query}
  const char* gray_zone;    // {path}:{line}
  const char* no_gray_zone;
  const char* closest;
  const char* nothing;     // {query}
  const char* takes_over;  // {option} {party}
  const char* changed_by;  // {option}
  // duties
  const char* activity;
  const char* activities;
  const char* with_role;  // {roles}
  const char* no_section;
  // options
  const char* no_options;      // {path}
  const char* option_marker;   // {marker} {path}:{line}
  const char* no_marked_cell;  // the option's marker is on no cell
  const char* no_delegate;     // the option names no single party
  const char* hands_one;       // {party}
  const char* hands_many;      // {count} {party}
  // who, again
  const char* via;               // {option}: an applied option moved the row
  const char* language_unknown;  // the matrix's language could not be told
};

// The phrases of `lang` when given, else of the matrix's language when it is one of the
// five, else English.
const Phrases& phrases_for(const Matrix& m, const std::string& lang);

// Adds `--lang` (fr, en, de, es, it) to a command.
void add_lang(CLI::App* app, std::string& lang);

}  // namespace racine::cli
