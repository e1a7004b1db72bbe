#pragma once
// Runs the racine binary as a user would and captures what it prints.

#include <filesystem>
#include <string>
#include <vector>

namespace racine::test {

struct Outcome {
  int status = -1;  // exit status; 128+N when killed by signal N
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs `racine args...` with `input` on standard input and `env` ("K=V") added, in
// directory `cwd` (the test's own when empty).
Outcome racine(const std::vector<std::string>& args, const std::string& input = "",
               const std::vector<std::string>& env = {}, const std::string& cwd = "");

// A fresh temporary directory for one test, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
  // Writes `content` to `name` inside the directory; returns its path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path m_path;
};

// The whole content of the file at `path` ("" when it cannot be read).
std::string read_text(const std::string& path);

// The project's source tree and the seed as copied into it.
std::string source_dir();
std::string seed_path();
// ../shared beside the project, or $RACINE_SHARED_DIR when set.
std::string shared_dir();
// shared_dir()/corpus, or "" when absent.
std::string corpus_dir();
// What to say when it is absent: "../shared/corpus is absent".
std::string corpus_absent();

// `s` quoted for a POSIX shell.
std::string shell_quote(const std::string& s);

}  // namespace racine::test
