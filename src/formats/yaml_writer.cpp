#include "formats/yaml_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.h"
#include "formats/json_writer.h"

namespace racine {

namespace {

using nlohmann::ordered_json;

// True when `s` can be written plain and reads back as this very string; `flow`: inside
// a flow sequence ("[a, b]"), where commas and brackets end a scalar.
bool plain_ok(std::string_view s, bool flow) {
  if (s.empty()) return false;
  const auto first = static_cast<unsigned char>(s.front());
  // Indicators, digits (numbers), spaces and dots cannot start a plain string here.
  if (!(std::isalpha(first) != 0 || first >= 0x80 || first == '(' || first == '_' || first == '/'))
    return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (c == '#' && s[i - 1] == ' ') return false;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return false;
    // In a flow sequence also '?': YAML allows `[a?b]`, but yaml-cpp 0.7 (the reader
    // before libyaml) refused it (found by the canonical fuzzer), and other readers may
    // too; quoting costs nothing.
    if (flow && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == '?'))
      return false;
    if (c >= 0x80) {
      // Unicode line and paragraph separators, next line and the byte-order mark.
      const std::string_view rest = s.substr(i);
      if (rest.starts_with("\u2028") || rest.starts_with("\u2029") || rest.starts_with("\uFEFF") ||
          rest.starts_with("\u0085")) {
        return false;
      }
    }
  }
  // Words YAML reads as something else than a string.
  const std::string f = text::fold(s);
  static constexpr std::array<std::string_view, 9> k_reserved = {"true", "false", "yes", "no", "on",
                                                                 "off",  "null",  "y",   "n"};
  return std::find(k_reserved.begin(), k_reserved.end(), f) == k_reserved.end();
}

void scalar(std::string& out, const ordered_json& v, bool flow = false) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (plain_ok(s, flow)) {
      out += s;
    } else {
      out += ordered_json(s).dump();  // a JSON string is a YAML double-quoted scalar
    }
  } else {
    out += v.dump();  // numbers, booleans, null
  }
}

bool is_scalar(const ordered_json& v) {
  return !v.is_object() && !v.is_array();
}

void indent(std::string& out, std::size_t n) {
  out.append(n, ' ');
}

void emit(std::string& out, const ordered_json& v, std::size_t depth);

// A value after "key:" or "- ": on the same line when it is a scalar or an empty
// collection or a list of scalars; else on the next lines.
void emit_value(std::string& out, const ordered_json& v, std::size_t depth, bool in_sequence) {
  if (is_scalar(v)) {
    out += ' ';
    scalar(out, v);
    out += '\n';
  } else if (v.empty()) {
    out += v.is_array() ? " []\n" : " {}\n";
  } else if (v.is_array() && std::all_of(v.begin(), v.end(), is_scalar)) {
    out += " [";
    bool first = true;
    for (const auto& x : v) {
      if (!first) out += ", ";
      first = false;
      scalar(out, x, true);
    }
    out += "]\n";
  } else if (in_sequence && v.is_object()) {
    // "- key: value" with the first key on the dash's line.
    out += ' ';
    bool first = true;
    for (const auto& [k, x] : v.items()) {
      if (!first) indent(out, depth * 2);
      first = false;
      scalar(out, ordered_json(k));
      out += ':';
      emit_value(out, x, depth + 1, false);
    }
  } else {
    out += '\n';
    emit(out, v, depth);
  }
}

void emit(std::string& out, const ordered_json& v, std::size_t depth) {
  if (v.is_object()) {
    for (const auto& [k, x] : v.items()) {
      indent(out, depth * 2);
      scalar(out, ordered_json(k));
      out += ':';
      emit_value(out, x, depth + 1, false);
    }
  } else if (v.is_array()) {
    for (const auto& x : v) {
      indent(out, depth * 2);
      out += '-';
      emit_value(out, x, depth + 1, true);
    }
  } else {
    indent(out, depth * 2);
    scalar(out, v);
    out += '\n';
  }
}

}  // namespace

std::string json_to_yaml(const ordered_json& tree) {
  std::string out;
  emit(out, tree, 0);
  return out;
}

// json_to_yaml(matrix_to_json(m)), written a section at a time: the tree of the whole
// matrix is never built.
std::string write_yaml(const Matrix& m) {
  std::string out;
  emit(out, matrix_head_to_json(m), 0);
  out += "sections:";
  if (m.sections.empty()) {
    out += " []\n";
    return out;
  }
  out += '\n';
  for (const auto& s : m.sections) {
    indent(out, 2);
    out += '-';
    emit_value(out, section_to_json(m, s), 2, true);
  }
  return out;
}

}  // namespace racine
