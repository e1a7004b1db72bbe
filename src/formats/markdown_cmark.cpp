#include "formats/markdown_cmark.h"

#include <cmark-gfm-core-extensions.h>

#include <array>
#include <cctype>

#include "core/text.h"

namespace racine::markdown {

namespace {

// `<sup>12</sup>` (raw HTML, as some tools write footnote calls) at `n`: the number as
// superscript digits ("¹²"), which are footnote markers like any other; `n` moves to the
// closing tag. Empty when `n` does not open such a group.
std::string superscript_group(cmark_node*& n) {
  auto literal = [](cmark_node* x) {
    const char* l = x != nullptr ? cmark_node_get_literal(x) : nullptr;
    return l != nullptr ? std::string_view(l) : std::string_view();
  };
  auto is_tag = [&](cmark_node* x, std::string_view tag) {
    if (x == nullptr || cmark_node_get_type(x) != CMARK_NODE_HTML_INLINE) return false;
    const std::string_view l = literal(x);
    if (l.size() != tag.size()) return false;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(l[i])) != tag[i]) return false;
    }
    return true;
  };
  if (!is_tag(n, "<sup>")) return "";
  cmark_node* body = cmark_node_next(n);
  if (body == nullptr || cmark_node_get_type(body) != CMARK_NODE_TEXT) return "";
  cmark_node* close = cmark_node_next(body);
  if (!is_tag(close, "</sup>")) return "";
  const std::string_view digits = literal(body);
  if (digits.empty() || digits.size() > 3) return "";
  static constexpr std::array<std::string_view, 10> k_superscript = {
      "\u2070", "\u00B9", "\u00B2", "\u00B3", "\u2074",
      "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
  std::string out;
  for (const char c : digits) {
    if (c < '0' || c > '9') return "";
    out += k_superscript[static_cast<std::size_t>(c - '0')];
  }
  n = close;
  return out;
}

}  // namespace

NodePtr parse_gfm(std::string_view head, std::string_view body) {
  cmark_gfm_core_extensions_ensure_registered();
  cmark_parser* parser = cmark_parser_new(CMARK_OPT_DEFAULT);
  std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> guard(parser, &cmark_parser_free);
  for (const char* ext : {"table", "strikethrough", "autolink", "tagfilter"}) {
    if (cmark_syntax_extension* e = cmark_find_syntax_extension(ext)) {
      cmark_parser_attach_syntax_extension(parser, e);
    }
  }
  if (!head.empty()) cmark_parser_feed(parser, head.data(), head.size());
  cmark_parser_feed(parser, body.data(), body.size());
  return NodePtr(cmark_parser_finish(parser), &cmark_node_free);
}

bool is_table(cmark_node* n) {
  return std::string_view(cmark_node_get_type_string(n)) == "table";
}

// Walks the subtree with parent links, without recursion (inline nesting can be as deep
// as the input is long) and without cmark_iter's allocation: this runs for every cell.
std::string rendered_text(cmark_node* root) {
  std::string out;
  cmark_node* n = cmark_node_first_child(root);
  while (n != nullptr) {
    const auto t = cmark_node_get_type(n);
    if (t == CMARK_NODE_HTML_INLINE) {
      out += superscript_group(n);
    } else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
      if (const char* lit = cmark_node_get_literal(n)) out += lit;
    } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
      out += ' ';
    } else if (t != CMARK_NODE_HTML_INLINE && t != CMARK_NODE_HTML_BLOCK) {
      if (cmark_node* child = cmark_node_first_child(n)) {
        n = child;
        continue;
      }
    }
    // Next: the sibling, or the sibling of the nearest ancestor below `root` that has one.
    while (n != nullptr && n != root && cmark_node_next(n) == nullptr) n = cmark_node_parent(n);
    n = (n == nullptr || n == root) ? nullptr : cmark_node_next(n);
  }
  return out;
}

bool is_bold_only(cmark_node* cell) {
  cmark_node* child = cmark_node_first_child(cell);
  int strong = 0;
  for (; child != nullptr; child = cmark_node_next(child)) {
    const auto t = cmark_node_get_type(child);
    if (t == CMARK_NODE_STRONG) {
      ++strong;
    } else if (t == CMARK_NODE_TEXT) {
      const char* lit = cmark_node_get_literal(child);
      if (lit != nullptr && !text::trim(lit).empty()) return false;
    } else {
      return false;
    }
  }
  return strong == 1;
}

}  // namespace racine::markdown
