// Reading canonical YAML and JSON: the positioned tree alone (parse_tree) and the whole
// reader (read_document), best of RUNS in processor time, in MB/s. Built from the same source on a
// baseline commit, it measures old and new readers side by side (bench/run.sh).
// Usage: bench_tree FILE... [--runs N] [--dump] [--check]
//   --dump prints each file's tree (kind, quoted, byte offset, value) instead of timing
//   it, so that two builds can be compared node by node.
//   --check reads each file with simdjson (parse_json_tree) and libyaml (parse_yaml_tree)
//   and prints "declined", "same" or "DIFFERENT" (exit 1 if any differs).
//   Timing also prints parse_json_tree and parse_yaml_tree apart for a JSON file.
// Built with RACINE_BASELINE_TREE defined, it compiles against a commit that predates
// parse_json_tree (the baseline of bench/run.sh), without --check and that split.

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
  bool checking = false;
  int status = 0;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (a == "--dump") {
      dumping = true;
    } else if (a == "--check") {
      checking = true;
    } else {
      files.emplace_back(a);
    }
  }
  racine::ReadOptions options;
  options.limits.max_bytes = 1ULL << 30;
  for (const auto& path : files) {
    const auto src = std::make_shared<const racine::SourceFile>(path, read_file(path.c_str()));
    const auto max_values = racine::max_tree_values(options.limits);
#ifndef RACINE_BASELINE_TREE
    if (checking) {
      const auto fast = racine::parse_json_tree(src, max_values);
      auto slow = racine::parse_yaml_tree(src, max_values);
      const char* verdict = !fast ? "declined" : (slow && *slow == *fast) ? "same" : "DIFFERENT";
      if (fast && !(slow && *slow == *fast)) status = 1;
      std::printf("%s: %s\n", path.c_str(), verdict);
      continue;
    }
#endif
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
    // read_document first, so that the first run is what one command pays (its memory
    // not yet taken from the system); each result is freed before the next step.
    double first_read = 0;
    double best_tree = 1e9;
    double best_read = 1e9;
    for (int r = 0; r < runs; ++r) {
      double t = cpu_seconds();
      double read = 0;
      {
        auto m = racine::read_document(src, format, options);
        read = cpu_seconds() - t;  // not counting the matrix's destruction
        if (!m) {
          std::fprintf(stderr, "%s\n", m.error().to_string().c_str());
          return 1;
        }
      }
      if (r == 0) first_read = read;
      best_read = std::min(best_read, read);
      t = cpu_seconds();
      {
        auto tree = racine::parse_tree(src, max_values);
        best_tree = std::min(best_tree, cpu_seconds() - t);
        if (!tree) {
          std::fprintf(stderr, "%s\n", tree.error().to_string().c_str());
          return 1;
        }
      }
    }
    std::printf(
        "%s (%.1f MB, CPU time): read_document first run %.2f s (%.1f MB/s), best of %d %.2f s "
        "(%.1f MB/s); tree alone, best %.2f s (%.1f MB/s)\n",
        path.c_str(), mb, first_read, mb / first_read, runs, best_read, mb / best_read, best_tree,
        mb / best_tree);
#ifndef RACINE_BASELINE_TREE
    if (format == racine::Format::json) {
      double best_json = 1e9;
      double best_yaml = 1e9;
      for (int r = 0; r < runs; ++r) {
        double t = cpu_seconds();
        bool read = false;
        {
          const auto fast = racine::parse_json_tree(src, max_values);
          best_json = std::min(best_json, cpu_seconds() - t);
          read = fast.has_value();
        }
        t = cpu_seconds();
        {
          const auto slow = racine::parse_yaml_tree(src, max_values);
          best_yaml = std::min(best_yaml, cpu_seconds() - t);
        }
        if (!read) std::printf("  (simdjson declined this file)\n");
      }
      std::printf("  tree by simdjson %.2f s (%.1f MB/s), by libyaml alone %.2f s (%.1f MB/s)\n",
                  best_json, mb / best_json, best_yaml, mb / best_yaml);
    }
#endif
  }
  return status;
}
