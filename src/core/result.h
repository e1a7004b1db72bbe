#pragma once
// Result<T>: a value or an operational error (missing file, input refused by a limit).
// Flaws in a readable document are diagnostics in the model, never errors here.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace racine {

// An operational failure: what went wrong, where (path, and line/column when known).
struct Error {
  std::string path;
  std::uint32_t line = 0;    // 1-based; 0 when the failure has no line
  std::uint32_t column = 0;  // 1-based; 0 when unknown
  std::string message;       // lower-case start, no trailing period

  // "path:line:col: message", leaving out the parts that are unknown.
  [[nodiscard]] std::string to_string() const;
};

// A value of type T or an Error (GCC 12 has no std::expected in C++20).
template <typename T>
class Result {
 public:
  Result(T value) : m_data(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : m_data(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return m_data.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(m_data); }
  const T& value() const { return std::get<0>(m_data); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  [[nodiscard]] const Error& error() const { return std::get<1>(m_data); }

 private:
  std::variant<T, Error> m_data;
};

}  // namespace racine
