#pragma once
// The matrix as a canonical Markdown document (`export --format md`, `resolve`): the
// title as a level-1 heading, each section as a level-2 heading over one aligned table,
// roles in R, A, C, I order, markers after the roles and titles they mark, each note
// after the last table that refers to it, and the gray-zone note at the end.
// Extra columns (ID, domain) are not written. docs/output.md shows an example.

#include <string>
#include <string_view>
#include <vector>

#include "core/matrix.h"

namespace racine {

std::string write_markdown(const Matrix& m);

// `s` as Markdown text that cmark-gfm renders back as `s`, on one line, inside a table
// cell, a heading or a paragraph: runs of white space become one space and the ends are
// trimmed (Markdown carries no more: a newline would end the row or the heading), control
// characters become numeric references ("&#1;"), and every character that would start
// markup is escaped with a backslash: `\`, `|`, `<`, emphasis, code and strikethrough
// delimiters and brackets when there are two of them, an entity's `&`, a heading's
// closing `#`, and block markers at the start (`#`, `-`, `+`, `=`, `>`, `:`, `*`, "1.",
// "1)"). docs/formats.md lists the rules.
std::string markdown_text(std::string_view s);

// The text of a cell as the writers put it (Markdown, CSV, `fmt`): the roles, then the
// markers, with a space between two markers that would otherwise read back as one
// ("* **", "¹ ²").
std::string cell_text(RoleSet roles, const std::vector<std::string>& markers);

}  // namespace racine
