#pragma once
// A fixture for the include-direction check (tests/CMakeLists.txt): it crosses an arrow
// (core includes cli/) and prints from the library; the check must report both.
#include "cli/common.h"
#include "core/text.h"
inline void f() {
  std::cout << 1;
}
