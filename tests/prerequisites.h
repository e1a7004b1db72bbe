#pragma once
// What a test needs from outside the project (../shared/corpus, ../shared/schemas, a
// tool): under CI (CI=true in the environment) a missing prerequisite fails the test
// with what to install; locally the test is skipped and says why. The shell tests share
// the same rule through tests/prerequisites.sh.

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

namespace racine::test {

// CI=true in the environment.
inline bool under_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

// What a missing prerequisite is, as a skip or failure message says it.
inline std::string missing_message(std::string_view what) {
  return under_ci() ? "CI=true and " + std::string(what) : std::string(what) + ": skipped";
}

// A test that can still check part of what it should without `what` (e.g. the seed
// without the corpus): fails under CI, else prints a note saying what is checked.
inline void partial(std::string_view what, std::string_view still) {
  if (under_ci()) {
    ADD_FAILURE() << "CI=true and " << what;
  } else {
    std::cout << "note: " << what << ": " << still << "\n";
  }
}

}  // namespace racine::test

// In a test body: when `present` is false, fails under CI and skips otherwise, with
// `what` (e.g. "../shared/corpus is absent").
#define RACINE_REQUIRE(present, what)                                                        \
  do {                                                                                       \
    if (!(present)) {                                                                        \
      if (::racine::test::under_ci()) GTEST_FAIL() << ::racine::test::missing_message(what); \
      GTEST_SKIP() << ::racine::test::missing_message(what);                                 \
    }                                                                                        \
  } while (false)

// ../shared/corpus (or $RACINE_SHARED_DIR/corpus), which the corpus tests read (with
// tests/cli/cli_test_support.h).
#define RACINE_REQUIRE_CORPUS() \
  RACINE_REQUIRE(!::racine::test::corpus_dir().empty(), ::racine::test::corpus_absent())
