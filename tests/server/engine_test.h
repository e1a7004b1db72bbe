#pragma once
// A test run once per storage engine (the parameter: "sqlite" or "postgresql"), with a
// fresh store and the `racine serve` arguments that name it.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../store/store_engines.h"

namespace racine::test {

class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    where = fresh_store(GetParam());
    // Without the engine: skipped locally, a failure under CI (fresh_store said why); a
    // fatal failure in SetUp keeps the test body from running.
    if (where.empty()) {
      if (!under_ci())
        GTEST_SKIP() << "no private PostgreSQL server (make deps-test installs postgresql-15)";
      FAIL() << "no store for " << GetParam();
    }
    if (where.starts_with("sqlite:")) {
      args = {"--data", std::filesystem::path(where.substr(7)).parent_path().string()};
    } else {
      args = {"--database", where};
    }
  }

  std::string where;              // "sqlite:PATH" or a postgresql:// URL
  std::vector<std::string> args;  // --data DIR or --database URL
};

}  // namespace racine::test
