#include "core/json_out.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace racine {

namespace {

// The bytes that JSON strings escape: control characters, '"' and '\\'.
constexpr std::array<bool, 256> k_escaped = [] {
  std::array<bool, 256> t{};
  for (std::size_t c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}();

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size());
  std::size_t plain = 0;  // start of the run of bytes that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Eight bytes at a time while none of them needs an escape (most text): a byte
    // under 0x20, or equal to '"' or '\\', sets its high bit in `hit`.
    while (i + 8 <= s.size()) {
      std::uint64_t x = 0;
      std::memcpy(&x, s.data() + i, 8);
      constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
      constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
      auto zero_byte = [&](std::uint64_t v) { return (v - k_ones) & ~v & k_highs; };
      const std::uint64_t hit = ((x - k_ones * 0x20) & ~x & k_highs) |
                                zero_byte(x ^ (k_ones * '"')) | zero_byte(x ^ (k_ones * '\\'));
      if (hit != 0) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (!k_escaped[c]) continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += k_hex[c >> 4U];
        out += k_hex[c & 0xFU];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
}

void JsonOut::value_start() {
  if (m_after_key) {
    m_after_key = false;
    return;
  }
  if (!m_first.empty()) {
    if (!m_first.back()) m_out += ',';
    m_first.back() = false;
  }
}

JsonOut& JsonOut::begin_object() {
  value_start();
  m_out += '{';
  m_first.push_back(true);
  return *this;
}

JsonOut& JsonOut::end_object() {
  m_out += '}';
  m_first.pop_back();
  return *this;
}

JsonOut& JsonOut::begin_array() {
  value_start();
  m_out += '[';
  m_first.push_back(true);
  return *this;
}

JsonOut& JsonOut::end_array() {
  m_out += ']';
  m_first.pop_back();
  return *this;
}

JsonOut& JsonOut::key(std::string_view k) {
  value_start();
  m_out += '"';
  append_json_escaped(m_out, k);
  m_out += "\":";
  m_after_key = true;
  return *this;
}

JsonOut& JsonOut::string(std::string_view v) {
  value_start();
  m_out += '"';
  append_json_escaped(m_out, v);
  m_out += '"';
  return *this;
}

JsonOut& JsonOut::number(double v) {
  value_start();
  if (!std::isfinite(v)) {
    m_out += "null";  // as nlohmann writes NaN and infinities
    return *this;
  }
  // The shortest text that reads back as v, as nlohmann's; it marks a double that has
  // no fraction with ".0" ("1.0", "0.0").
  const std::size_t start = m_out.size();
  fmt::format_to(std::back_inserter(m_out), "{}", v);
  if (m_out.find_first_of(".eE", start) == std::string::npos) m_out += ".0";
  return *this;
}

JsonOut& JsonOut::integer(std::int64_t v) {
  value_start();
  fmt::format_to(std::back_inserter(m_out), "{}", v);
  return *this;
}

JsonOut& JsonOut::boolean(bool v) {
  value_start();
  m_out += v ? "true" : "false";
  return *this;
}

JsonOut& JsonOut::null() {
  value_start();
  m_out += "null";
  return *this;
}

}  // namespace racine
