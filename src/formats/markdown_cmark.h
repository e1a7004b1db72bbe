#pragma once
// Markdown reader, parsing stage: cmark-gfm with GitHub's extensions (tables,
// strikethrough, autolinks, tag filter) parses one chunk of the document into a tree,
// and these helpers read text out of its nodes. See markdown_reader.h for the stages.

#include <cmark-gfm.h>

#include <memory>
#include <string>
#include <string_view>

namespace racine::markdown {

using NodePtr = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;

// The tree of `head` followed by `body` (`head`: the repeated header of a table cut into
// chunks, or empty), parsed as GitHub renders it.
NodePtr parse_gfm(std::string_view head, std::string_view body);

// True when `n` is a table of the table extension.
bool is_table(cmark_node* n);

// Rendered text of a node: text and code literals, breaks as spaces, HTML dropped
// (but for footnote calls written `<sup>1</sup>`, kept as "¹").
std::string rendered_text(cmark_node* root);

// True when the only content of `cell` is one strong (or emphasis) span: a section row title.
bool is_bold_only(cmark_node* cell);

}  // namespace racine::markdown
