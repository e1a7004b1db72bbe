#pragma once
// Compact JSON written straight into a string, for the answers a server sends many
// times a second: the same bytes as nlohmann::ordered_json's dump() (keys in the order
// written, no spaces, strings escaped alike, numbers alike), without building a tree.
// Tests compare the two on every lookup answer of the seed and the corpus.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace racine {

class JsonOut {
 public:
  // `reserve`: the bytes expected, kept from the start (no growing copies on the way).
  explicit JsonOut(std::size_t reserve = 256) { m_out.reserve(reserve); }
  JsonOut& begin_object();
  JsonOut& end_object();
  JsonOut& begin_array();
  JsonOut& end_array();
  // A key of the object being written; its value follows.
  JsonOut& key(std::string_view k);
  JsonOut& string(std::string_view v);  // valid UTF-8 (the model holds nothing else)
  JsonOut& number(double v);
  JsonOut& integer(std::int64_t v);
  JsonOut& boolean(bool v);
  JsonOut& null();

  [[nodiscard]] const std::string& str() const { return m_out; }
  std::string take() { return std::move(m_out); }

 private:
  void value_start();
  std::string m_out;
  std::vector<bool> m_first;  // per open container: no element written yet
  bool m_after_key = false;
};

// `s` escaped as nlohmann::json does (quotes, backslash, and control characters as
// \b \f \n \r \t or \u00xx), appended to `out` without the surrounding quotes.
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace racine
