// racine fmt [--check] FILE...

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/atomic_file.h"
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

int run_fmt(const FmtOptions& o) {
  int status = k_exit_ok;
  std::size_t changed = 0;
  for (const auto& path : o.files) {
    if (path != "-" && format_of_path(path) != Format::markdown) {
      print_usage_error(
          trf("{}: fmt rewrites Markdown; `racine convert` writes the other formats", path));
      status = k_exit_error;
      continue;
    }
    auto config = config_for(path, o.input);
    if (!config) {
      print_error(config.error());
      status = k_exit_error;
      continue;
    }
    auto src = path == "-" ? load_stream(std::cin, "<stdin>", config->limits)
                           : load_file(path, config->limits);
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
      print_out(after);
      continue;
    }
    if (after == before) continue;
    ++changed;
    if (o.check) {
      fmt::print("{}", unified_diff((*src)->path(), before, after));
      if (status == k_exit_ok) status = k_exit_found;
    } else if (auto e = write_file_atomic(path, after)) {
      // Through a temporary file beside the target and a rename: the file is as it was.
      e->message += tr(" (left as it was)");
      print_error(*e);
      status = k_exit_error;
    }
  }
  if (!o.check && changed > 0)
    fmt::print(stderr, "racine: {}\n", trf("formatted {} of {} files", changed, o.files.size()));
  return status;
}

}  // namespace

Command add_fmt(CLI::App& root) {
  auto o = std::make_shared<FmtOptions>();
  CLI::App* app =
      root.add_subcommand("fmt", tr("Rewrite the RACI tables of Markdown files canonically"));
  app->add_option("FILE", o->files, tr("Markdown files ('-': standard input to standard output)"))
      ->required();
  app->add_flag("--check", o->check,
                tr("Change nothing: print a unified diff and exit 1 when a file would change"));
  app->add_option("--from", o->input.from, tr("Input format: fmt rewrites Markdown only (md)"))
      ->check(CLI::IsMember({"md", "markdown"}))
      ->option_text("FORMAT");
  add_config(app, o->input.config_path);
  document(app,
           {{tr("Rewrite a file's tables in place"), "racine fmt docs/raci.md"},
            {tr("In CI: show what would change, and fail"), "racine fmt --check docs/*.md"},
            {tr("As a filter"), "racine fmt - < raci.md > raci.formatted.md"}},
           {tr("0: every file is formatted (or was rewritten)"),
            tr("1: with --check, a file would change (its diff is printed)"),
            tr("2: usage error, or a file that cannot be read, parsed or written")});
  return {app, [o] { return run_fmt(*o); }};
}

}  // namespace racine::cli
