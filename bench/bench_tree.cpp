// Reading canonical YAML and JSON: the positioned tree alone (parse_tree) and the whole
// reader (read_document), best of RUNS in processor time, in MB/s. Built from the same source on a
// baseline commit, it measures old and new readers side by side (bench/run.sh).
// Usage: bench_tree FILE... [--runs N] [--dump]
//   --dump prints each file's tree (kind, quoted, byte offset, value) instead of timing
//   it, so that two builds can be compared node by node.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"
#include "formats/document.h"
#include "formats/tree.h"
#include "read_file.h"

namespace {

// Processor time of this process (user and system), which a busy machine does not
// inflate as it does wall time.
double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

void dump(const racine::TreeNode& n, int depth) {
  std::printf("%*s%d %d %u %s\n", depth, "", static_cast<int>(n.kind), n.quoted ? 1 : 0, n.offset,
              n.value.c_str());
  for (const auto& item : n.items) dump(item, depth + 1);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  bool dumping = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (a == "--dump") {
      dumping = true;
    } else {
      files.emplace_back(a);
    }
  }
  racine::ReadOptions options;
  options.limits.max_bytes = 1ULL << 30;
  for (const auto& path : files) {
    const auto src = std::make_shared<const racine::SourceFile>(path, read_file(path.c_str()));
    const auto max_values = racine::max_tree_values(options.limits);
    if (dumping) {
      auto tree = racine::parse_tree(src, max_values);
      std::printf("== %s\n", path.c_str());
      if (tree) {
        dump(*tree, 0);
      } else {
        std::printf("error: %s\n", tree.error().to_string().c_str());
      }
      continue;
    }
    const double mb = static_cast<double>(src->text().size()) / 1e6;
    const racine::Format format = racine::format_of_path(path);
    double best_tree = 1e9;
    double best_read = 1e9;
    for (int r = 0; r < runs; ++r) {
      double t = cpu_seconds();
      auto tree = racine::parse_tree(src, max_values);
      best_tree = std::min(best_tree, cpu_seconds() - t);
      if (!tree) {
        std::fprintf(stderr, "%s\n", tree.error().to_string().c_str());
        return 1;
      }
      t = cpu_seconds();
      auto m = racine::read_document(src, format, options);
      best_read = std::min(best_read, cpu_seconds() - t);
      if (!m) {
        std::fprintf(stderr, "%s\n", m.error().to_string().c_str());
        return 1;
      }
    }
    std::printf(
        "%s (%.1f MB, best of %d, CPU time): tree %.2f s (%.1f MB/s), read_document %.2f s "
        "(%.1f MB/s)\n",
        path.c_str(), mb, runs, best_tree, mb / best_tree, best_read, mb / best_read);
  }
  return 0;
}
