#include "formats/html_table.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <utility>

#include "core/text.h"

namespace racine::html {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// Position of `needle` (lower case) in text[from, to), any case, or npos.
std::size_t ifind(std::string_view text, std::string_view needle, std::size_t from,
                  std::size_t to) {
  to = std::min(to, text.size());
  if (needle.size() > to) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= to; ++i) {
    if (lower(text[i]) == needle[0] && iequals(text.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

bool is_void(std::string_view name) {
  for (const std::string_view v : {"area", "base", "br", "col", "embed", "hr", "img", "input",
                                   "link", "meta", "param", "source", "track", "wbr"}) {
    if (iequals(name, v)) return true;
  }
  return false;
}

bool is_raw_text(std::string_view name) {
  for (const std::string_view v : {"script", "style", "textarea", "title", "xmp"}) {
    if (iequals(name, v)) return true;
  }
  return false;
}

bool any_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view n) { return iequals(name, n); });
}

}  // namespace

std::size_t find_tag(std::string_view text, std::string_view name, std::size_t from) {
  const std::string open = "<" + std::string(name);
  for (std::size_t at = ifind(text, open, from, text.size()); at != std::string_view::npos;
       at = ifind(text, open, at + 1, text.size())) {
    const std::size_t after = at + open.size();
    if (after == text.size() || is_space(text[after]) || text[after] == '>' || text[after] == '/')
      return at;
  }
  return std::string_view::npos;
}

bool is_html_document(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  const std::string_view rest = text.substr(i);
  auto starts = [&](std::string_view p) {
    return rest.size() >= p.size() && iequals(rest.substr(0, p.size()), p);
  };
  return starts("<!doctype html") ||
         (starts("<html") && (rest.size() == 5 || is_space(rest[5]) || rest[5] == '>'));
}

std::size_t find_table_tag(std::string_view text, std::size_t from, std::size_t to) {
  to = std::min(to, text.size());
  // Not inside a comment nor the raw text of script, style or textarea: a browser shows
  // no table there.
  for (std::size_t at = text.find('<', from); at != std::string_view::npos && at < to;
       at = text.find('<', at + 1)) {
    const std::string_view rest = text.substr(at);
    if (rest.starts_with("<!--")) {
      const std::size_t e = text.find("-->", at + 4);
      if (e == std::string_view::npos) return std::string_view::npos;
      at = e + 2;
      continue;
    }
    auto tag = [&](std::string_view name) {
      const std::size_t after = name.size() + 1;
      return rest.size() > name.size() && iequals(rest.substr(1, name.size()), name) &&
             (rest.size() == after || is_space(rest[after]) || rest[after] == '>' ||
              rest[after] == '/');
    };
    if (tag("table")) return at;
    for (const std::string_view raw : {"script", "style", "textarea"}) {
      if (!tag(raw)) continue;
      const std::string close = "</" + std::string(raw);
      const std::size_t e = ifind(text, close, at + 1, text.size());
      if (e == std::string_view::npos) return std::string_view::npos;
      at = e;
      break;
    }
  }
  return std::string_view::npos;
}

Extent find_html_table_end(std::string_view text, std::size_t begin, std::size_t max_bytes,
                           std::size_t max_depth) {
  Extent out;
  const std::size_t limit = std::min(text.size(), begin + max_bytes);
  std::vector<std::string_view> open;  // names of the open elements, outermost first
  // Pops the elements above the nearest `name` (among `names`) that is above the nearest
  // of `stops`, and that element too.
  auto close_implied = [&](std::initializer_list<std::string_view> names,
                           std::initializer_list<std::string_view> stops) {
    for (std::size_t k = open.size(); k-- > 0;) {
      if (any_of(open[k], stops)) return;
      if (any_of(open[k], names)) {
        open.resize(k);
        return;
      }
    }
  };
  std::size_t i = begin;
  while (i < limit) {
    const std::size_t lt = text.find('<', i);
    if (lt == std::string_view::npos || lt >= limit) break;
    const std::string_view rest = text.substr(lt);
    if (rest.starts_with("<!--")) {
      const std::size_t e = text.find("-->", lt + 4);
      if (e == std::string_view::npos) break;
      i = e + 3;
      continue;
    }
    if (rest.starts_with("<!") || rest.starts_with("<?")) {
      const std::size_t e = text.find('>', lt);
      if (e == std::string_view::npos) break;
      i = e + 1;
      continue;
    }
    const bool end_tag = rest.starts_with("</");
    std::size_t n = lt + (end_tag ? 2 : 1);
    if (n >= text.size() || std::isalpha(static_cast<unsigned char>(text[n])) == 0) {
      i = lt + 1;  // a literal '<'
      continue;
    }
    const std::size_t name_begin = n;
    while (n < text.size() && !is_space(text[n]) && text[n] != '>' && text[n] != '/') ++n;
    const std::string_view name = text.substr(name_begin, n - name_begin);
    // The rest of the tag: attributes, quoted values may hold '>'.
    bool self_closing = false;
    char quote = 0;
    for (; n < text.size(); ++n) {
      const char c = text[n];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        self_closing = n > 0 && text[n - 1] == '/';
        break;
      }
    }
    if (n >= text.size()) break;
    i = n + 1;
    if (end_tag) {
      for (std::size_t k = open.size(); k-- > 0;) {
        if (iequals(open[k], name)) {
          open.resize(k);
          break;
        }
      }
      if (open.empty()) {
        out.status = Extent::Status::closed;
        out.end = i;
        return out;
      }
      continue;
    }
    if (self_closing || is_void(name)) continue;
    if (any_of(name, {"td", "th"})) close_implied({"td", "th"}, {"tr", "table"});
    if (iequals(name, "tr")) close_implied({"tr"}, {"table"});
    if (any_of(name, {"thead", "tbody", "tfoot"}))
      close_implied({"thead", "tbody", "tfoot"}, {"table"});
    if (any_of(name, {"p", "li", "option", "dt", "dd"}) && !open.empty() &&
        iequals(open.back(), name))
      open.pop_back();
    open.push_back(name);
    if (open.size() > max_depth) {
      out.status = Extent::Status::too_deep;
      out.end = i;
      return out;
    }
    if (is_raw_text(name)) {
      std::string close = "</" + std::string(name);
      std::transform(close.begin(), close.end(), close.begin(), lower);
      const std::size_t e = ifind(text, close, i, text.size());
      if (e == std::string_view::npos) break;
      i = e;
    }
  }
  // Stopped at the byte limit with more text after it, or at the end of the text.
  out.status = begin + max_bytes < text.size() ? Extent::Status::too_big : Extent::Status::unclosed;
  out.end = std::min(i, text.size());
  return out;
}

namespace {

std::size_t offset_of(const GumboSourcePosition& pos) {
  return pos.offset;
}

bool is_element(const GumboNode* n, GumboTag tag) {
  return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == tag;
}

// The text of a `<sup>` when it is digits only, as superscript digits; else empty.
std::string superscript(const GumboNode* sup) {
  static constexpr std::array<std::string_view, 10> k_digits = {
      "\xE2\x81\xB0", "\xC2\xB9",     "\xC2\xB2",     "\xC2\xB3",     "\xE2\x81\xB4",
      "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};
  const GumboVector& children = sup->v.element.children;
  if (children.length != 1) return "";
  const auto* t = static_cast<const GumboNode*>(children.data[0]);
  if (t->type != GUMBO_NODE_TEXT) return "";
  const std::string_view digits = text::trim(t->v.text.text);
  if (digits.empty()) return "";
  std::string out;
  for (const char c : digits) {
    if (c < '0' || c > '9') return "";
    out += k_digits[static_cast<std::size_t>(c - '0')];
  }
  return out;
}

Cell read_cell(const GumboNode* td) {
  Cell cell;
  const GumboElement& el = td->v.element;
  cell.begin = offset_of(el.start_pos) + el.original_tag.length;
  cell.end = cell.begin;
  if (const GumboAttribute* span = gumbo_get_attribute(&el.attributes, "colspan")) {
    // As browsers do: the leading digits, at most 1,000.
    const std::string_view v = text::trim(span->value);
    std::uint32_t n = 0;
    bool digits = false;
    for (const char c : v) {
      if (c < '0' || c > '9') break;
      digits = true;
      n = std::min<std::uint32_t>(n * 10 + static_cast<std::uint32_t>(c - '0'), 1000);
    }
    if (digits && n > 1) cell.colspan = std::min<std::uint32_t>(n, 1000);
  }
  std::string raw;
  bool any_text = false;
  bool all_bold = true;
  std::size_t last_text_end = cell.begin;
  // Depth first, without recursion: (node, inside <b>/<strong>).
  std::vector<std::pair<const GumboNode*, bool>> stack;
  const GumboVector& top = el.children;
  for (unsigned k = top.length; k-- > 0;)
    stack.emplace_back(static_cast<const GumboNode*>(top.data[k]), false);
  while (!stack.empty()) {
    const auto [n, bold] = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
        n->type == GUMBO_NODE_WHITESPACE) {
      const std::string_view t = n->v.text.text;
      raw += t;
      if (!text::trim(t).empty()) {
        any_text = true;
        all_bold = all_bold && bold;
      }
      last_text_end = offset_of(n->v.text.start_pos) + n->v.text.original_text.length;
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    const GumboTag tag = n->v.element.tag;
    if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_TEMPLATE ||
        tag == GUMBO_TAG_TABLE)
      continue;
    if (tag == GUMBO_TAG_BR) {
      raw += ' ';
      continue;
    }
    if (tag == GUMBO_TAG_SUP) {
      const std::string s = superscript(n);
      if (!s.empty()) {
        raw += s;
        any_text = true;
        all_bold = all_bold && bold;
        continue;
      }
    }
    // Block elements separate words.
    if (tag == GUMBO_TAG_P || tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_LI) raw += ' ';
    const bool inner_bold = bold || tag == GUMBO_TAG_B || tag == GUMBO_TAG_STRONG;
    const GumboVector& children = n->v.element.children;
    for (unsigned k = children.length; k-- > 0;)
      stack.emplace_back(static_cast<const GumboNode*>(children.data[k]), inner_bold);
  }
  cell.text = text::collapse_spaces(raw);
  cell.bold = any_text && all_bold;
  cell.end = el.original_end_tag.length > 0 ? offset_of(el.end_pos) : last_text_end;
  if (cell.end < cell.begin) cell.end = cell.begin;
  return cell;
}

void read_rows(const GumboNode* parent, Table& table) {
  const GumboVector& children = parent->v.element.children;
  for (unsigned k = 0; k < children.length; ++k) {
    const auto* c = static_cast<const GumboNode*>(children.data[k]);
    if (c->type != GUMBO_NODE_ELEMENT) continue;
    const GumboTag tag = c->v.element.tag;
    if (tag == GUMBO_TAG_THEAD || tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_TFOOT) {
      read_rows(c, table);  // one level: sections hold rows, not sections
      continue;
    }
    if (tag != GUMBO_TAG_TR) continue;
    Row row;
    row.offset = offset_of(c->v.element.start_pos);
    const GumboVector& cells = c->v.element.children;
    for (unsigned i = 0; i < cells.length; ++i) {
      const auto* td = static_cast<const GumboNode*>(cells.data[i]);
      if (!is_element(td, GUMBO_TAG_TD) && !is_element(td, GUMBO_TAG_TH)) continue;
      if (row.cells.empty() && c->v.element.original_tag.length == 0)
        row.offset = offset_of(td->v.element.start_pos);
      row.cells.push_back(read_cell(td));
    }
    if (!row.cells.empty()) table.rows.push_back(std::move(row));
  }
}

}  // namespace

std::string fragment_text(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output(
      gumbo_parse_with_options(&options, html.data(), html.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  if (!output) return {};
  std::string raw;
  std::vector<const GumboNode*> stack{output->root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      raw += n->v.text.text;
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    const GumboTag tag = n->v.element.tag;
    if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_TEMPLATE) continue;
    raw += ' ';
    const GumboVector& children = n->v.element.children;
    for (unsigned k = children.length; k-- > 0;)
      stack.push_back(static_cast<const GumboNode*>(children.data[k]));
  }
  return text::collapse_spaces(raw);
}

std::vector<Table> parse_tables(std::string_view html) {
  std::vector<Table> out;
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // errors are not reported: keep none
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output(
      gumbo_parse_with_options(&options, html.data(), html.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  if (!output) return out;
  std::vector<const GumboNode*> stack{output->root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    if (n->v.element.tag == GUMBO_TAG_TABLE) {
      Table table;
      table.offset = offset_of(n->v.element.start_pos);
      read_rows(n, table);
      out.push_back(std::move(table));
      continue;
    }
    const GumboVector& children = n->v.element.children;
    for (unsigned k = children.length; k-- > 0;)
      stack.push_back(static_cast<const GumboNode*>(children.data[k]));
  }
  return out;
}

}  // namespace racine::html
