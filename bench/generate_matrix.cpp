// Writes a synthetic RACI matrix in Markdown: ACTIVITIES rows x PARTIES parties, in
// sections of ROWS_PER_SECTION rows (default 1,000; 0: one single table), about 50 bytes
// per activity (1M x 4 is ~50 MB).
// Usage: bench_generate ACTIVITIES PARTIES [ROWS_PER_SECTION] > matrix.md

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: bench_generate ACTIVITIES PARTIES [ROWS_PER_SECTION]\n");
    return 2;
  }
  const long activities = std::atol(argv[1]);
  const int parties = std::atoi(argv[2]);
  const long per_section = argc == 4 ? std::atol(argv[3]) : 1000;
  static const char* const k_roles[] = {"RA", "C", "I", "", "CI", "R"};
  std::string out = "---\ntitle: Synthetic matrix\n---\n\n";
  for (long a = 0; a < activities; ++a) {
    if (per_section > 0 ? a % per_section == 0 : a == 0) {
      out += "\n## Section " + std::to_string(per_section > 0 ? a / per_section : 0) +
             "\n\n| Activity";
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
