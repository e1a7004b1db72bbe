#include "cli/cli_test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <random>
#include <sstream>

namespace racine::test {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

namespace {

std::string quote(const std::string& s) {
  return shell_quote(s);
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Outcome racine(const std::vector<std::string>& args, const std::string& input,
               const std::vector<std::string>& env, const std::string& cwd) {
  TempDir io;
  const std::string in = io.write("stdin", input);
  // Built with += only: GCC 12 warns (-Wrestrict, a known false positive) on
  // "literal" + std::string here.
  std::string cmd;
  if (!cwd.empty()) {
    cmd += "cd ";
    cmd += quote(cwd);
    cmd += " && ";
  }
  // English messages whatever the developer's locale; a test that wants French says so.
  cmd += "env NO_COLOR=1 LANGUAGE= LC_ALL= LC_MESSAGES= LANG=C.UTF-8";
  for (const auto& e : env) {
    cmd += ' ';
    cmd += quote(e);
  }
  cmd += ' ';
  cmd += quote(RACINE_BINARY);
  for (const auto& a : args) {
    cmd += ' ';
    cmd += quote(a);
  }
  cmd += " <";
  cmd += quote(in);
  cmd += " >";
  cmd += quote((io.path() / "out").string());
  cmd += " 2>";
  cmd += quote((io.path() / "err").string());
  const int raw = std::system(cmd.c_str());
  Outcome r;
  if (WIFEXITED(raw)) {
    r.status = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    r.status = 128 + WTERMSIG(raw);
  }
  r.out = slurp(io.path() / "out");
  r.err = slurp(io.path() / "err");
  return r;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  m_path = std::filesystem::temp_directory_path() /
           ("racine-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
            std::to_string(rd()));
  std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  const auto p = m_path / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

std::string read_text(const std::string& path) {
  return slurp(path);
}

std::string source_dir() {
  return RACINE_SOURCE_DIR;
}
std::string seed_path() {
  return source_dir() + "/data/managed-kubernetes.md";
}

std::string shared_dir() {
  const char* env = std::getenv("RACINE_SHARED_DIR");
  if (env != nullptr && *env != '\0') return env;
  return (std::filesystem::path(source_dir()).parent_path() / "shared").string();
}

std::string corpus_dir() {
  const auto p = std::filesystem::path(shared_dir()) / "corpus";
  return std::filesystem::is_directory(p) ? p.string() : "";
}

std::string corpus_absent() {
  const char* env = std::getenv("RACINE_SHARED_DIR");
  return env != nullptr && *env != '\0' ? std::string(env) + "/corpus is absent (RACINE_SHARED_DIR)"
                                        : "../shared/corpus is absent";
}

}  // namespace racine::test
