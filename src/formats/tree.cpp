#include "formats/tree.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <optional>

#include "core/text.h"
#include "formats/limits.h"

namespace racine {

namespace {

// Nesting deeper than this is refused, at the collection that opens the level past it.
constexpr std::size_t k_max_depth = 500;

// A libyaml parser reading `text` as UTF-8, without copying it.
class YamlParser {
 public:
  explicit YamlParser(std::string_view text) {
    if (yaml_parser_initialize(&m_parser) == 0) throw std::bad_alloc();
    // Forced, so that a UTF-16 byte-order mark is refused as invalid UTF-8 instead of
    // decoded: the marks must stay counted in the characters of the source as it is.
    yaml_parser_set_encoding(&m_parser, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&m_parser, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~YamlParser() { yaml_parser_delete(&m_parser); }
  YamlParser(const YamlParser&) = delete;
  YamlParser& operator=(const YamlParser&) = delete;
  yaml_parser_t* get() { return &m_parser; }

 private:
  yaml_parser_t m_parser{};
};

// One event, deleted when it goes out of scope.
class YamlEvent {
 public:
  YamlEvent() = default;
  ~YamlEvent() { clear(); }
  YamlEvent(const YamlEvent&) = delete;
  YamlEvent& operator=(const YamlEvent&) = delete;
  // The next event, or false on a parse error (the parser then holds the problem).
  bool next(yaml_parser_t* p) {
    clear();
    m_owned = yaml_parser_parse(p, &m_event) != 0;
    return m_owned;
  }
  const yaml_event_t& operator*() const { return m_event; }
  const yaml_event_t* operator->() const { return &m_event; }

 private:
  void clear() {
    if (m_owned) yaml_event_delete(&m_event);
    m_owned = false;
  }
  yaml_event_t m_event{};
  bool m_owned = false;
};

// libyaml's marks count characters; the tree keeps byte offsets. Marks arrive nearly in
// order, so a cursor walks the UTF-8 text from the last one (either way).
class ByteOffsets {
 public:
  // `start`: the byte where libyaml's first character is.
  ByteOffsets(std::string_view text, std::size_t start)
      : m_text(text), m_start(start), m_bytes(start) {}
  std::uint32_t of(std::size_t index) {
    while (m_chars < index && m_bytes < m_text.size()) {
      ++m_bytes;
      while (m_bytes < m_text.size() && is_continuation(m_text[m_bytes])) ++m_bytes;
      ++m_chars;
    }
    while (m_chars > index && m_bytes > m_start) {
      --m_bytes;
      while (m_bytes > m_start && is_continuation(m_text[m_bytes])) --m_bytes;
      --m_chars;
    }
    return static_cast<std::uint32_t>(m_bytes);
  }

 private:
  static bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }
  std::string_view m_text;
  std::size_t m_start;
  std::size_t m_chars = 0;
  std::size_t m_bytes;
};

// What libyaml reads. libyaml follows YAML 1.1: it refuses DEL, the C1 controls, U+FFFE
// and U+FFFF anywhere in its input, and reads NEL, U+2028 and U+2029 as line breaks,
// where JSON (and racine's writers) keep them as characters of a string. Each of these
// is handed to libyaml as one character of Unicode's last private-use plane,
// U+10FF00 + its low byte, and put back in the values: one character for one, so
// libyaml's marks, which count characters, still count those of the source. (A source
// that already holds one of these stand-ins is read as it is.)
class Input {
 public:
  explicit Input(std::string_view text) : m_view(text) {
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c == 0x7F || c == 0xC2 || c == 0xE2 || c == 0xEF || c == 0xF4) {
        unsigned low = 0;
        std::size_t len = 0;
        if (stand_in_at(text, i) != 0) return;  // read as it is
        if (special_at(text, i, low, len)) break;
      }
    }
    if (i == text.size()) return;
    for (std::size_t j = i; j < text.size(); ++j) {
      if (stand_in_at(text, j) != 0) return;
    }
    m_copy.reserve(text.size() + 64);
    m_copy.append(text.substr(0, i));
    while (i < text.size()) {
      unsigned low = 0;
      std::size_t len = 0;
      if (special_at(text, i, low, len)) {
        m_copy += '\xF4';
        m_copy += '\x8F';
        m_copy += static_cast<char>(0xBC + (low >> 6U));
        m_copy += static_cast<char>(0x80U | (low & 0x3FU));
        m_growth += 4 - len;
        m_shifts.emplace_back(m_copy.size(), m_growth);
        i += len;
      } else {
        m_copy += text[i++];
      }
    }
    m_view = m_copy;
  }
  [[nodiscard]] std::string_view text() const { return m_view; }

  // A byte offset of text() in the source.
  [[nodiscard]] std::size_t source_offset(std::size_t offset) const {
    auto it = std::upper_bound(m_shifts.begin(), m_shifts.end(), offset,
                               [](std::size_t o, const auto& s) { return o < s.first; });
    return it == m_shifts.begin() ? offset : offset - std::prev(it)->second;
  }

  // Puts the stand-ins of `value` back.
  void restore(std::string& value) const {
    if (m_shifts.empty()) return;
    std::size_t at = value.find("\xF4\x8F");
    if (at == std::string::npos) return;
    std::string out(value.substr(0, at));
    while (at < value.size()) {
      const unsigned low = stand_in_at(value, at);
      if (low == 0) {
        out += value[at++];
        continue;
      }
      if (low == 0x7F) {
        out += '\x7F';
      } else if (low < 0xA0) {
        out += '\xC2';
        out += static_cast<char>(low);
      } else if (low < 0xFE) {
        out += "\xE2\x80";
        out += static_cast<char>(low);
      } else {
        out += "\xEF\xBF";
        out += static_cast<char>(low - 0x40);
      }
      at += 4;
    }
    value = std::move(out);
  }

 private:
  // DEL, C1, NEL, U+2028, U+2029, U+FFFE, U+FFFF at `i`: its low byte (0xA8 and 0xA9 for
  // U+2028 and U+2029) and its length.
  static bool special_at(std::string_view t, std::size_t i, unsigned& low, std::size_t& len) {
    const auto b = [&](std::size_t k) {
      return i + k < t.size() ? static_cast<unsigned char>(t[i + k]) : 0U;
    };
    if (b(0) == 0x7F) {
      low = 0x7F, len = 1;
    } else if (b(0) == 0xC2 && b(1) >= 0x80 && b(1) <= 0x9F) {
      low = b(1), len = 2;
    } else if (b(0) == 0xE2 && b(1) == 0x80 && (b(2) == 0xA8 || b(2) == 0xA9)) {
      low = b(2), len = 3;
    } else if (b(0) == 0xEF && b(1) == 0xBF && (b(2) == 0xBE || b(2) == 0xBF)) {
      low = b(2) + 0x40U, len = 3;
    } else {
      return false;
    }
    return true;
  }
  // The low byte of the stand-in at `i` (U+10FF00 + low), or 0.
  static unsigned stand_in_at(std::string_view t, std::size_t i) {
    if (i + 3 >= t.size() || t[i] != '\xF4' || t[i + 1] != '\x8F') return 0;
    const auto b2 = static_cast<unsigned char>(t[i + 2]);
    const auto b3 = static_cast<unsigned char>(t[i + 3]);
    if (b2 < 0xBC || b2 > 0xBF || (b3 & 0xC0U) != 0x80U) return 0;
    const unsigned low = ((b2 - 0xBCU) << 6U) | (b3 & 0x3FU);
    const bool special = low == 0x7F || (low >= 0x80 && low <= 0x9F) || low == 0xA8 ||
                         low == 0xA9 || low == 0xFE || low == 0xFF;
    return special ? low : 0;
  }

  std::string m_copy;
  std::string_view m_view;
  std::size_t m_growth = 0;
  std::vector<std::pair<std::size_t, std::size_t>> m_shifts;  // (end in text(), growth so far)
};

// The source, what libyaml reads of it, and the cursor from characters to bytes.
struct Reading {
  explicit Reading(const SourcePtr& source)
      : src(source),
        start(source->text().substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0),
        input(source->text().substr(start)),
        offsets(source->text(), start) {}
  const SourcePtr& src;
  std::size_t start;  // a UTF-8 byte-order mark is left out of what libyaml reads
  Input input;
  ByteOffsets offsets;
};

// A refusal while building the tree: a message at a byte offset.
struct Refusal {
  std::uint32_t offset;
  std::string message;
};

// Null as yaml-cpp 0.7 read it: a plain scalar without a tag that is empty, `~` or
// `null` in one of its three spellings.
bool is_null(const yaml_event_t& e) {
  if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE || e.data.scalar.tag != nullptr) return false;
  const std::string_view v(reinterpret_cast<const char*>(e.data.scalar.value),
                           e.data.scalar.length);
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

// Builds the tree of one document from libyaml's events, the document's start already
// read. Throws Refusal.
class Builder {
 public:
  Builder(yaml_parser_t* parser, Reading& reading, std::uint64_t max_values,
          std::string_view alias_message)
      : m_parser(parser),
        m_reading(reading),
        m_max_values(max_values),
        m_alias_message(alias_message) {}

  // Reads events up to the document's end; returns its root.
  TreeNode document() {
    YamlEvent e;
    for (;;) {
      if (!e.next(m_parser)) throw parse_error();
      switch (e->type) {
        case YAML_SCALAR_EVENT: scalar(*e); break;
        case YAML_SEQUENCE_START_EVENT: open(TreeNode::Kind::sequence, *e); break;
        case YAML_MAPPING_START_EVENT: open(TreeNode::Kind::map, *e); break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: close(); break;
        case YAML_ALIAS_EVENT: throw Refusal{offset(*e), std::string(m_alias_message)};
        case YAML_DOCUMENT_END_EVENT: return std::move(m_root);
        default: break;  // nothing else occurs inside a document
      }
    }
  }

  // The parser's problem, at its mark.
  Refusal parse_error() { return parser_problem(m_parser, m_reading); }

  static Refusal parser_problem(yaml_parser_t* p, Reading& r) {
    if (p->error == YAML_MEMORY_ERROR) return Refusal{0, "out of memory while reading YAML"};
    const std::string problem = p->problem != nullptr ? p->problem : "malformed YAML";
    if (p->error == YAML_READER_ERROR) {
      // The reader counts bytes: the input is not UTF-8 (or holds a control character).
      return Refusal{static_cast<std::uint32_t>(r.start + r.input.source_offset(p->problem_offset)),
                     p->problem_value >= 0 && p->problem_value <= 0xFF
                         ? fmt::format("{} (byte 0x{:02X})", problem, p->problem_value)
                         : problem};
    }
    std::string message = problem;
    if (p->context != nullptr) {
      const Position at = r.src->position(r.offsets.of(p->context_mark.index));
      message +=
          fmt::format(" ({} that starts at line {}, column {})", p->context, at.line, at.column);
    }
    return Refusal{r.offsets.of(p->problem_mark.index), std::move(message)};
  }

 private:
  std::uint32_t offset(const yaml_event_t& e) { return m_reading.offsets.of(e.start_mark.index); }

  void count(std::uint32_t at) {
    if (++m_nodes > m_max_values) {
      throw Refusal{at, fmt::format("more than {} values in one document, above the limit of one "
                                    "per {} bytes of limits.max-bytes (raise it in .racine.yaml "
                                    "to read this)",
                                    m_max_values, k_tree_bytes_per_value)};
    }
  }

  void scalar(const yaml_event_t& e) {
    TreeNode n;
    n.offset = offset(e);
    count(n.offset);
    if (!is_null(e)) {
      n.kind = TreeNode::Kind::scalar;
      // As yaml-cpp: any style but plain, or the non-specific tag `!` (a string).
      n.quoted = e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
                 (e.data.scalar.tag != nullptr &&
                  std::string_view(reinterpret_cast<const char*>(e.data.scalar.tag)) == "!");
      n.value.assign(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
      m_reading.input.restore(n.value);
      // libyaml writes every escape as UTF-8 and refuses surrogates; checked anyway, so
      // that no escape can ever put invalid UTF-8 into the model.
      if (e.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
          text::find_invalid_utf8(n.value))
        throw Refusal{n.offset,
                      "this value is not valid UTF-8 once its escapes are decoded: write the "
                      "character itself instead of the escape"};
    }
    add(std::move(n));
  }

  void open(TreeNode::Kind kind, const yaml_event_t& e) {
    TreeNode n;
    n.kind = kind;
    n.offset = offset(e);
    count(n.offset);
    if (m_stack.size() >= k_max_depth)
      throw Refusal{n.offset, fmt::format("nesting deeper than {} levels", k_max_depth)};
    m_stack.push_back({std::move(n), m_pending.size()});
  }

  void close() {
    Open o = std::move(m_stack.back());
    m_stack.pop_back();
    o.node.items.reserve(m_pending.size() - o.first);
    std::move(m_pending.begin() + static_cast<std::ptrdiff_t>(o.first), m_pending.end(),
              std::back_inserter(o.node.items));
    m_pending.resize(o.first);
    add(std::move(o.node));
  }

  void add(TreeNode n) {
    if (!m_stack.empty()) {
      m_pending.push_back(std::move(n));
    } else {
      m_root = std::move(n);
    }
  }

  // An open collection, whose items are m_pending[first...] until it closes: then they
  // move into one vector of the right size (no growth by doubling, no spare capacity).
  struct Open {
    TreeNode node;
    std::size_t first;
  };

  yaml_parser_t* m_parser;
  Reading& m_reading;
  std::uint64_t m_max_values;
  std::string_view m_alias_message;
  std::uint64_t m_nodes = 0;
  std::vector<Open> m_stack;        // open collections
  std::vector<TreeNode> m_pending;  // the items of the open collections, in order
  TreeNode m_root;
};

// Reads the events between documents: true at a document's start, false at the
// stream's end.
bool next_document(yaml_parser_t* p, Reading& r) {
  YamlEvent e;
  for (;;) {
    if (!e.next(p)) throw Builder::parser_problem(p, r);
    if (e->type == YAML_DOCUMENT_START_EVENT) return true;
    if (e->type == YAML_STREAM_END_EVENT) return false;
  }
}

// Canonical JSON through simdjson's On-Demand parser (docs/formats.md, "Reading"): the
// same tree as libyaml's, built at several times its speed. It accepts only what it can
// prove libyaml reads into the same tree, and declines the rest (returns false), which
// libyaml then reads, with its own messages and positions: any error, a value past the
// limits, and the JSON that libyaml (a YAML 1.1 parser) reads otherwise or refuses:
// a tab before or after the root, a line break between a key and its ':', a key of
// more than 1,000 bytes, an escaped surrogate pair, an escape that decodes to NUL or
// invalid UTF-8, and a source holding the stand-ins of `Input` above.
class JsonBuilder {
 public:
  JsonBuilder(const char* base, std::size_t shift, std::uint64_t max_values)
      : m_base(base), m_shift(shift), m_max_values(max_values) {}

  bool root(simdjson::ondemand::document& doc, std::size_t at, TreeNode& out) {
    simdjson::ondemand::json_type type{};
    if (doc.type().get(type) != simdjson::SUCCESS) return false;
    out.offset = static_cast<std::uint32_t>(at + m_shift);
    if (!count()) return false;
    if (type == simdjson::ondemand::json_type::object) {
      simdjson::ondemand::object o;
      if (doc.get_object().get(o) != simdjson::SUCCESS) return false;
      out.kind = TreeNode::Kind::map;
      if (!object(o, out, 1)) return false;
    } else if (type == simdjson::ondemand::json_type::array) {
      simdjson::ondemand::array a;
      if (doc.get_array().get(a) != simdjson::SUCCESS) return false;
      out.kind = TreeNode::Kind::sequence;
      if (!array(a, out, 1)) return false;
    } else {
      return false;
    }
    // Nothing after the root (simdjson's location is then out of bounds).
    const char* rest = nullptr;
    return doc.current_location().get(rest) != simdjson::SUCCESS;
  }

 private:
  std::uint32_t offset_of(const char* p) const {
    return static_cast<std::uint32_t>(static_cast<std::size_t>(p - m_base) + m_shift);
  }
  bool count() { return ++m_nodes <= m_max_values; }

  // The node of value `v`, `depth` collections deep.
  bool value(simdjson::ondemand::value v, TreeNode& n, std::size_t depth) {
    const std::string_view token = v.raw_json_token();
    n.offset = offset_of(token.data());
    if (!count()) return false;
    switch (token.empty() ? '\0' : token.front()) {
      case '{': {
        // libyaml refuses the collection that opens level 501 (k_max_depth).
        if (depth >= k_max_depth) return false;
        simdjson::ondemand::object o;
        if (v.get_object().get(o) != simdjson::SUCCESS) return false;
        n.kind = TreeNode::Kind::map;
        return object(o, n, depth + 1);
      }
      case '[': {
        if (depth >= k_max_depth) return false;
        simdjson::ondemand::array a;
        if (v.get_array().get(a) != simdjson::SUCCESS) return false;
        n.kind = TreeNode::Kind::sequence;
        return array(a, n, depth + 1);
      }
      case '"': {
        // Without a backslash, the text between the quotes as it is (simdjson's first
        // stage has checked its UTF-8 and that it holds no control character): nothing
        // written to simdjson's buffer of unescaped strings, which would be more memory
        // to take from the system.
        // Every value is consumed: simdjson checks what follows a consumed value (',' and
        // a closing bracket), but skips an unconsumed one without looking ("[1, "a": 2]").
        std::string_view s = unquoted(token);
        if (s.find('\\') != std::string_view::npos) {
          if (v.get_string().get(s) != simdjson::SUCCESS) return false;
        } else {
          simdjson::ondemand::raw_json_string raw;
          if (v.get_raw_json_string().get(raw) != simdjson::SUCCESS) return false;
        }
        return string(token, s, n);
      }
      default: {
        if (!plain(token, n)) return false;
        bool b = false;
        double d = 0;
        if (n.kind == TreeNode::Kind::null) return v.is_null().get(b) == simdjson::SUCCESS && b;
        if (token.front() == 't' || token.front() == 'f')
          return v.get_bool().get(b) == simdjson::SUCCESS;
        return v.get_double().get(d) == simdjson::SUCCESS;
      }
    }
  }

  // The text between the quotes of a string's token (which may end with blanks).
  static std::string_view unquoted(std::string_view token) {
    const std::size_t end = token.find_last_of('"');
    return end == 0 || end == std::string_view::npos ? std::string_view()
                                                     : token.substr(1, end - 1);
  }

  // A string whose token (from its opening quote) is `token`, `s` once unescaped.
  static bool string(std::string_view token, std::string_view s, TreeNode& n) {
    n.kind = TreeNode::Kind::scalar;
    n.quoted = true;
    n.value.assign(s);
    if (token.find('\\') == std::string_view::npos) return true;
    // libyaml refuses escaped surrogates (JSON writes a character beyond U+FFFF as two).
    for (std::size_t i = 0; i + 1 < token.size(); ++i) {
      if (token[i] != '\\') continue;
      if (token[i + 1] == 'u' && i + 3 < token.size() &&
          (token[i + 2] == 'd' || token[i + 2] == 'D') && token[i + 3] != '\0' &&
          std::strchr("89abAB", token[i + 3]) != nullptr)
        return false;
      ++i;  // the escaped character
    }
    // An escape may decode to NUL (or, were it possible, invalid UTF-8), which the tree
    // refuses with libyaml's position.
    return !text::find_invalid_utf8(n.value);
  }

  // A number, true, false or null: as libyaml, a plain scalar holding the token as
  // written (null, a null). Anything else (simdjson checks these only when asked) is
  // declined.
  static bool plain(std::string_view token, TreeNode& n) {
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                              token.back() == '\r'))
      token.remove_suffix(1);
    if (token == "null") return true;  // Kind::null
    if (token != "true" && token != "false" && !is_number(token)) return false;
    n.kind = TreeNode::Kind::scalar;
    n.value.assign(token);
    return true;
  }

  // JSON's number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  static bool is_number(std::string_view t) {
    std::size_t i = 0;
    const auto digits = [&] {
      const std::size_t from = i;
      while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
      return i > from;
    };
    if (i < t.size() && t[i] == '-') ++i;
    if (i < t.size() && t[i] == '0') {
      ++i;
    } else if (!digits()) {
      return false;
    }
    if (i < t.size() && t[i] == '.') {
      ++i;
      if (!digits()) return false;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
      ++i;
      if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return i == t.size();
  }

  bool array(simdjson::ondemand::array& a, TreeNode& n, std::size_t depth) {
    const std::size_t first = m_pending.size();
    for (auto element : a) {
      simdjson::ondemand::value v;
      if (std::move(element).get(v) != simdjson::SUCCESS) return false;
      TreeNode item;
      if (!value(v, item, depth)) return false;
      m_pending.push_back(std::move(item));
    }
    take(first, n);
    return true;
  }

  bool object(simdjson::ondemand::object& o, TreeNode& n, std::size_t depth) {
    const std::size_t first = m_pending.size();
    for (auto f : o) {
      simdjson::ondemand::field field;
      if (std::move(f).get(field) != simdjson::SUCCESS) return false;
      const char* key_start = field.key().raw() - 1;  // the opening quote
      simdjson::ondemand::value v = field.value();
      const char* value_start = v.raw_json_token().data();
      // libyaml reads a key as such only if its ':' is on its line and at most 1,024
      // characters after its start (a "simple key").
      const char* colon = value_start;
      while (colon > key_start && *colon != ':') --colon;
      if (colon - key_start > 1000) return false;
      for (const char* c = colon; c > key_start && *c != '"'; --c) {
        if (*c == '\n' || *c == '\r') return false;
      }
      TreeNode k;
      k.offset = offset_of(key_start);
      if (!count()) return false;
      const std::string_view key_token(key_start, static_cast<std::size_t>(colon - key_start));
      std::string_view key = unquoted(key_token);
      if (key.find('\\') != std::string_view::npos &&
          field.unescaped_key().get(key) != simdjson::SUCCESS)
        return false;
      if (!string(key_token, key, k)) return false;
      m_pending.push_back(std::move(k));
      TreeNode item;
      if (!value(v, item, depth)) return false;
      m_pending.push_back(std::move(item));
    }
    take(first, n);
    return true;
  }

  // Moves m_pending[first...] into `n`'s items.
  void take(std::size_t first, TreeNode& n) {
    n.items.reserve(m_pending.size() - first);
    std::move(m_pending.begin() + static_cast<std::ptrdiff_t>(first), m_pending.end(),
              std::back_inserter(n.items));
    m_pending.resize(first);
  }

  const char* m_base;
  std::size_t m_shift;
  std::uint64_t m_max_values;
  std::uint64_t m_nodes = 0;
  std::vector<TreeNode> m_pending;
};

// The copy of the input simdjson reads (it needs SIMDJSON_PADDING readable bytes past
// the end). A large one is mapped apart and in 2 MiB pages where the system grants them
// (`madvise`): taking the memory of a 300 MB copy 4 KiB at a time cost about 1.5 s of
// page faults on the benchmark's machine (docs/performance.md).
class PaddedCopy {
 public:
  explicit PaddedCopy(std::string_view text) : m_size(text.size()) {
    const std::size_t capacity = text.size() + simdjson::SIMDJSON_PADDING;
    if (text.size() >= k_mapped_from) {
      void* p = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p != MAP_FAILED) {
#ifdef MADV_HUGEPAGE
        (void)madvise(p, capacity, MADV_HUGEPAGE);
#endif
        m_mapped = static_cast<char*>(p);
        m_mapped_size = capacity;
        std::memcpy(m_mapped, text.data(), text.size());  // the rest is zeros
        return;
      }
    }
    m_small = simdjson::padded_string(text);
  }
  ~PaddedCopy() {
    if (m_mapped != nullptr) munmap(m_mapped, m_mapped_size);
  }
  PaddedCopy(const PaddedCopy&) = delete;
  PaddedCopy& operator=(const PaddedCopy&) = delete;
  [[nodiscard]] simdjson::padded_string_view view() const {
    return m_mapped != nullptr ? simdjson::padded_string_view(m_mapped, m_size, m_mapped_size)
                               : simdjson::padded_string_view(m_small);
  }

 private:
  static constexpr std::size_t k_mapped_from = 8U << 20;
  std::size_t m_size;
  char* m_mapped = nullptr;
  std::size_t m_mapped_size = 0;
  simdjson::padded_string m_small;
};

// A stand-in of `Input` (U+10FF00 + the low byte of DEL, C1, NEL, ...) anywhere.
bool holds_stand_in(std::string_view t) {
  for (const char* p = t.data();
       (p = static_cast<const char*>(
            std::memchr(p, '\xF4', static_cast<std::size_t>(t.data() + t.size() - p)))) != nullptr;
       ++p) {
    if (p + 1 < t.data() + t.size() && p[1] == '\x8F') return true;
  }
  return false;
}

}  // namespace

Error error_at(const SourcePtr& src, std::uint32_t offset, std::string message) {
  const Position p = src->position(
      std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(src->text().size())));
  return Error{src->path(), p.line, p.column, std::move(message)};
}

void refuse(const TreeNode& n, std::string message) {
  throw TreeRefusal{n.offset, std::move(message)};
}

const std::string& scalar_of(const TreeNode& n, std::string_view what) {
  if (n.kind != TreeNode::Kind::scalar)
    refuse(n, fmt::format("{} must be a string, not {}", what, n.kind_name()));
  return n.value;
}

const TreeNode* TreeNode::find(std::string_view key) const {
  if (kind != Kind::map) return nullptr;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].kind == Kind::scalar && items[i].value == key) return &items[i + 1];
  }
  return nullptr;
}

std::string_view TreeNode::kind_name() const {
  switch (kind) {
    case Kind::null: return "null";
    case Kind::scalar: return "a scalar";
    case Kind::sequence: return "a sequence";
    case Kind::map: return "a mapping";
  }
  return "?";
}

std::optional<TreeNode> parse_json_tree(const SourcePtr& src, std::uint64_t max_values) {
  std::string_view text = src->text();
  const std::size_t shift = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  text.remove_prefix(shift);
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  if (first == std::string_view::npos || (text[first] != '{' && text[first] != '[')) return {};
  // libyaml reads a tab outside the root's brackets as the start of a token.
  if (text.substr(0, first).find('\t') != std::string_view::npos ||
      text.substr(last).find('\t') != std::string_view::npos || holds_stand_in(text))
    return {};
  const PaddedCopy padded(text);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  if (parser.iterate(padded.view()).get(doc) != simdjson::SUCCESS) return {};
  TreeNode root;
  JsonBuilder builder(padded.view().data(), shift, max_values);
  if (!builder.root(doc, first, root)) return {};
  return root;
}

Result<TreeNode> parse_tree(const SourcePtr& src, std::uint64_t max_values) {
  if (auto json = parse_json_tree(src, max_values)) return std::move(*json);
  return parse_yaml_tree(src, max_values);
}

Result<TreeNode> parse_yaml_tree(const SourcePtr& src, std::uint64_t max_values) {
  Reading r(src);
  YamlParser parser(r.input.text());
  try {
    if (!next_document(parser.get(), r)) return error_at(src, 0, "the document is empty");
    TreeNode root =
        Builder(parser.get(), r, max_values,
                "aliases (*name) are not allowed in a racine document: write the value out")
            .document();
    if (next_document(parser.get(), r)) {
      // Refused at the second document's root, as soon as it starts.
      YamlEvent e;
      if (!e.next(parser.get())) throw Builder::parser_problem(parser.get(), r);
      return error_at(src, r.offsets.of(e->start_mark.index),
                      "a second YAML document: a file holds one matrix");
    }
    return root;
  } catch (const Refusal& refusal) {
    return error_at(src, refusal.offset, refusal.message);
  }
}

Result<std::vector<TreeNode>> parse_documents(const SourcePtr& src, std::uint64_t max_values) {
  Reading r(src);
  YamlParser parser(r.input.text());
  std::vector<TreeNode> out;
  try {
    while (next_document(parser.get(), r)) {
      TreeNode root = Builder(parser.get(), r, max_values,
                              "aliases (*name) are not allowed here: write the value out")
                          .document();
      if (root.kind != TreeNode::Kind::null) out.push_back(std::move(root));
    }
  } catch (const Refusal& refusal) {
    return error_at(src, refusal.offset, refusal.message);
  }
  return out;
}

}  // namespace racine
