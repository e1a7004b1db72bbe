#pragma once
// Boxed<T>: a value kept out of line, absent until first written. It copies what it
// holds, so a struct keeps its value semantics while a rarely filled part costs one
// pointer (core/matrix.h's cells).

#include <memory>
#include <utility>

namespace racine {

template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const Boxed& other)
      : m_value(other.m_value ? std::make_unique<T>(*other.m_value) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) m_value = other.m_value ? std::make_unique<T>(*other.m_value) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  ~Boxed() = default;

  // The value, or nullptr while nothing was written.
  [[nodiscard]] const T* get() const { return m_value.get(); }
  // The value to change, made on first use.
  T& edit() {
    if (!m_value) m_value = std::make_unique<T>();
    return *m_value;
  }
  void set(T value) { m_value = std::make_unique<T>(std::move(value)); }
  void reset() { m_value.reset(); }

 private:
  std::unique_ptr<T> m_value;
};

}  // namespace racine
