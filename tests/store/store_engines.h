#pragma once
// The storage engines every store and server test runs against: SQLite in a new
// temporary folder, and PostgreSQL in a new database of the private server that
// tests/pg/pg.sh started for this test run (its URL in the file named by
// RACINE_TEST_PG_STATE). Under CI=true a missing PostgreSQL fails the test, saying what
// to install; elsewhere the PostgreSQL cases skip, saying why.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "../prerequisites.h"
#include "store/sql.h"

namespace racine::test {

// The private server's URL, or "" when there is none.
inline std::string pg_base_url() {
  const char* state = std::getenv("RACINE_TEST_PG_STATE");
  if (state == nullptr) return "";
  std::ifstream in(state);
  std::string url;
  std::getline(in, url);
  return url;
}

// A new, empty place to store: "sqlite:PATH" or a postgresql:// URL of a new database.
// Returns "" (after GTEST_SKIP or a failure) when the engine is not available.
inline std::string fresh_store(const std::string& engine) {
  static std::atomic<int> counter{0};
  const int n = ++counter;
  if (engine == "sqlite") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("racine-store-" + std::to_string(getpid()) + "-" + std::to_string(n));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return "sqlite:" + (dir / "racine.db").string();
  }
  const std::string base = pg_base_url();
  if (base.empty()) {
    if (under_ci()) {
      ADD_FAILURE()
          << "CI=true and no private PostgreSQL server: RACINE_TEST_PG_STATE is unset or empty "
             "(ctest starts one with tests/pg/pg.sh; make deps-test installs postgresql-15)";
    }
    return "";
  }
  const std::string db = fmt::format("t{}_{}_{}", getpid(), n, std::random_device{}() % 100000);
  auto admin = store::open_postgresql(base);
  admin->script("CREATE DATABASE " + db);
  const auto at = base.find("/racine?");
  return base.substr(0, at) + "/" + db + base.substr(at + 7);
}

}  // namespace racine::test
