// racine fmt [--check] FILE...

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "formats/document.h"
#include "formats/loader.h"
#include "formats/markdown_format.h"

namespace racine::cli {

namespace {

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;
  InputOptions input;
};

// Replaces `path` with `text` through a temporary file in the same folder, so that an
// interrupted write never leaves a half-written matrix; permissions are kept.
bool replace_file(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  fs::path tmp = target;
  tmp += ".racine-fmt.tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return false;
    }
  }
  std::error_code ec;
  fs::permissions(tmp, fs::status(target, ec).permissions(), ec);
  fs::rename(tmp, target, ec);
  if (ec) fs::remove(tmp, ec);
  return !ec;
}

int run_fmt(const FmtOptions& o) {
  int status = k_exit_ok;
  std::size_t changed = 0;
  for (const auto& path : o.files) {
    if (path != "-" && format_of_path(path) != Format::markdown) {
      print_usage_error(fmt::format("{}: fmt rewrites Markdown; `racine convert` writes the other formats", path));
      status = k_exit_error;
      continue;
    }
    auto config = config_for(path, o.input);
    if (!config) {
      print_error(config.error());
      status = k_exit_error;
      continue;
    }
    auto src = path == "-" ? load_stream(std::cin, "<stdin>", config->limits) : load_file(path, config->limits);
    if (!src) {
      print_error(src.error());
      status = k_exit_error;
      continue;
    }
    auto m = read_markdown(*src, config->read_options(matrix_id_from_path(path)));
    std::string after;
    if (m) {
      after = format_markdown(*m);
    } else if (m.error().message.rfind("no RACI table found", 0) == 0) {
      after = std::string((*src)->text());  // nothing to format in it
    } else {
      print_error(m.error());
      status = k_exit_error;
      continue;
    }
    const std::string_view before = (*src)->text();
    if (path == "-" && !o.check) {
      fmt::print("{}", after);
      continue;
    }
    if (after == before) continue;
    ++changed;
    if (o.check) {
      fmt::print("{}", unified_diff((*src)->path(), before, after));
      if (status == k_exit_ok) status = k_exit_found;
    } else if (!replace_file(path, after)) {
      print_error(Error{path, 0, 0, "cannot be written (left as it was)"});
      status = k_exit_error;
    }
  }
  if (!o.check && changed > 0) fmt::print(stderr, "racine: formatted {} of {} files\n", changed, o.files.size());
  return status;
}

}  // namespace

Command add_fmt(CLI::App& root) {
  auto o = std::make_shared<FmtOptions>();
  CLI::App* app = root.add_subcommand("fmt", "Rewrite the RACI tables of Markdown files canonically");
  app->add_option("FILE", o->files, "Markdown files ('-': standard input to standard output)")->required();
  app->add_flag("--check", o->check, "Change nothing: print a unified diff and exit 1 when a file would change");
  app->add_option("--config", o->input.config_path, "Use this configuration instead of the nearest .racine.yaml");
  return {app, [o] { return run_fmt(*o); }};
}

}  // namespace racine::cli
