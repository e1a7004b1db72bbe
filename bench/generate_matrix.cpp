// Writes a synthetic RACI matrix in Markdown: ACTIVITIES rows x PARTIES parties, in
// sections of 1,000 rows, about 50 bytes per activity (1M x 4 is ~50 MB).
// Usage: bench_generate ACTIVITIES PARTIES > matrix.md

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_generate ACTIVITIES PARTIES\n");
    return 2;
  }
  const long activities = std::atol(argv[1]);
  const int parties = std::atoi(argv[2]);
  static const char* const k_roles[] = {"RA", "C", "I", "", "CI", "R"};
  std::string out = "---\ntitle: Synthetic matrix\n---\n\n";
  for (long a = 0; a < activities; ++a) {
    if (a % 1000 == 0) {
      out += "\n## Section " + std::to_string(a / 1000) + "\n\n| Activity";
      for (int p = 0; p < parties; ++p) out += " | Party " + std::to_string(p);
      out += " |\n|---";
      for (int p = 0; p < parties; ++p) out += "|---";
      out += "|\n";
    }
    out += "| Operate service component " + std::to_string(a);
    for (int p = 0; p < parties; ++p) {
      out += " | ";
      out += p == 0 ? "RA" : k_roles[1 + static_cast<std::size_t>((a + p) % 5)];
    }
    out += " |\n";
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
