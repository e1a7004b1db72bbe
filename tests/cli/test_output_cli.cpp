// Safe output end to end: the XLSX workbook refuses what it cannot hold, files are
// written atomically through symlinks and keep their mode, write errors are exit 2 with
// the system's message, text printers escape control characters, every writer is
// reachable from every command that writes, and numbers from the environment are
// range-checked.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "cli/cli_test_support.h"

namespace racine::test {

namespace fs = std::filesystem;

namespace {

std::string quoted_arg(const std::string& s) {
  return shell_quote(s);
}

// Runs `racine args... >stdout_to` through the shell (for redirections the helper
// cannot make); standard error is captured.
Outcome racine_to(const std::vector<std::string>& args, const std::string& stdout_to) {
  TempDir io;
  // Built with += only: GCC 12 warns (-Wrestrict, a known false positive) on
  // "literal" + std::string here.
  std::string cmd = "env NO_COLOR=1 ";
  cmd += quoted_arg(RACINE_BINARY);
  for (const auto& a : args) {
    cmd += ' ';
    cmd += quoted_arg(a);
  }
  cmd += " </dev/null >";
  cmd += stdout_to;
  cmd += " 2>";
  cmd += quoted_arg((io.path() / "err").string());
  const int raw = std::system(cmd.c_str());
  Outcome r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.err = read_text((io.path() / "err").string());
  return r;
}

// Runs racine with standard output a pipe whose reading end is already closed; the
// parent ignores SIGPIPE when `ignore` (racine must not depend on what it inherits).
Outcome racine_into_closed_pipe(const std::vector<std::string>& args, bool ignore) {
  TempDir io;
  const std::string err_path = (io.path() / "err").string();
  int fds[2];
  if (pipe(fds) != 0) return {};
  close(fds[0]);
  const pid_t pid = fork();
  if (pid == 0) {
    if (ignore) std::signal(SIGPIPE, SIG_IGN);
    dup2(fds[1], STDOUT_FILENO);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(err, STDERR_FILENO);
    std::vector<std::string> all = {RACINE_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(RACINE_BINARY, argv.data());
    _exit(127);
  }
  close(fds[1]);
  int raw = 0;
  waitpid(pid, &raw, 0);
  Outcome r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.err = read_text(err_path);
  return r;
}

std::string md_with_party(const std::string& party) {
  return "# Ops\n\n| Activity | " + party +
         " | Provider |\n|---|---|---|\n| Back up the data | RA | I |\n"
         "| Restore the data | I | RA |\n";
}

// A matrix whose first party is named to forge a GitHub annotation and recolour a
// terminal; both parties are accountable for the one activity (a finding quoting them).
const std::string k_forged_json =
    R"({"racine": 1, "title": "Forged\u001b[31m title", "parties": [)"
    R"({"id": "ops", "name": "Ops\n::error file=README.md::forged"}, {"id": "dev", "name": "Dev\u001b]0;x\u0007"}],)"
    R"( "sections": [{"title": "Run\r::warning::x", "activities": [{"title": "Back up\n::notice::y",)"
    R"( "roles": {"ops": "RA", "dev": "A"}}]}]})";

// No line of `out` starts a GitHub workflow command, and no ESC is printed raw.
void expect_no_forgery(const std::string& out) {
  EXPECT_EQ(out.find("\n::"), std::string::npos) << out;
  EXPECT_NE(out.rfind("::", 0), 0U) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
}

}  // namespace

// Item 5: a party named 'Ops' (apostrophes first and last) crashed the export (exit 139).
TEST(OutputCli, XlsxPartyNamedWithApostrophesIsExported) {
  TempDir d;
  const auto p = d.write("quoted.md", md_with_party("'Ops'"));
  const std::string out = (d.path() / "q.xlsx").string();
  const Outcome r = racine({"export", "--format", "xlsx", "-o", out, p});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(read_text(out).substr(0, 4), std::string("PK\x03\x04", 4));
  // History is reserved by Excel; [ ] : * ? / \ cannot be in a sheet name.
  const auto h = d.write("history.md", md_with_party("History"));
  EXPECT_EQ(racine({"export", "-o", (d.path() / "h.xlsx").string(), h}).status, 0);
  const auto s = d.write("slashes.md", md_with_party("a/b [c]: *d?"));
  EXPECT_EQ(racine({"export", "-o", (d.path() / "s.xlsx").string(), s}).status, 0);
}

// Item 5: a title over 32,767 characters was silently dropped from the workbook.
TEST(OutputCli, XlsxRefusesATitleOver32767CharactersNamingTheCell) {
  TempDir d;
  const std::string title(40000, 'x');
  const auto p =
      d.write("long.md", "| Activity | Client | Provider |\n|---|---|---|\n| Short | RA | I |\n| " +
                             title + " | I | RA |\n");
  const std::string out = (d.path() / "long.xlsx").string();
  const Outcome r = racine({"export", "--format", "xlsx", "-o", out, p});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            p + ":4:1: error: activity title of 40000 characters does not fit an XLSX cell (cell "
                "B3 of sheet 'Matrix'): "
                "a cell holds at most 32767\n");
  EXPECT_FALSE(fs::exists(out));
  // Nothing else was left in the folder (no temporary file).
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator()), 1);
}

// Item 6: fmt through a symlink rewrites the file it names, keeps the link and the mode.
TEST(OutputCli, FmtThroughASymlinkKeepsTheLinkAndTheMode) {
  TempDir d;
  const auto real = d.write("real/ops.md", "| Task | A | B |\n|---|---|---|\n| Do it | ar | i |\n");
  fs::permissions(real, fs::perms(0640));
  const fs::path link = d.path() / "link.md";
  fs::create_symlink("real/ops.md", link);
  const Outcome r = racine({"fmt", link.string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::read_symlink(link), fs::path("real/ops.md"));
  EXPECT_EQ(read_text(real),
            "| Task  | A   | B   |\n| ----- | --- | --- |\n| Do it | RA  | I   |\n");
  EXPECT_EQ(fs::status(real).permissions() & fs::perms::all, fs::perms(0640));
  // Only the file and the link: no temporary file left anywhere.
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path() / "real"), fs::directory_iterator()), 1);
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator()), 2);
  // -o uses the same writer: through a link to a read-only file, the mode stays.
  const auto target = d.write("out/seed.json", "old");
  fs::permissions(target, fs::perms(0444));
  fs::create_symlink(target, d.path() / "seed.json");
  EXPECT_EQ(racine({"export", "-o", (d.path() / "seed.json").string()}).status, 0);
  EXPECT_TRUE(fs::is_symlink(d.path() / "seed.json"));
  EXPECT_EQ(read_text(target).rfind("{\n  \"racine\": 1,", 0), 0U);
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::all, fs::perms(0444));
}

// Item 6: write errors are exit 2 with the path and the system's message.
TEST(OutputCli, WriteErrorsAreExit2WithTheSystemsMessage) {
  const Outcome full = racine({"export", "-o", "/dev/full"});
  EXPECT_EQ(full.status, 2);
  EXPECT_EQ(full.err, "racine: /dev/full: cannot be written: No space left on device\n");
  const Outcome null = racine({"export", "-o", "/dev/null"});
  EXPECT_EQ(null.status, 0) << null.err;
  // Standard output: found at exit, whatever the command found.
  const Outcome lint = racine_to({"lint"}, "/dev/full");
  EXPECT_EQ(lint.status, 2);
  EXPECT_EQ(lint.err, "racine: <stdout>: cannot be written: No space left on device\n");
  const Outcome big = racine_to({"export", "--format", "html"}, "/dev/full");
  EXPECT_EQ(big.status, 2);
  EXPECT_EQ(big.err, "racine: <stdout>: cannot be written: No space left on device\n");
  // A folder that does not exist, and one that cannot be written in.
  TempDir d;
  const std::string missing = (d.path() / "missing" / "x.json").string();
  const Outcome m = racine({"export", "-o", missing});
  EXPECT_EQ(m.status, 2);
  EXPECT_EQ(m.err, "racine: " + missing + ": cannot be written: No such file or directory\n");
  const std::string xlsx = (d.path() / "missing" / "x.xlsx").string();
  const Outcome x = racine({"export", "--format", "xlsx", "-o", xlsx});
  EXPECT_EQ(x.status, 2);
  EXPECT_EQ(x.err, "racine: " + xlsx + ": cannot be written: No such file or directory\n");
}

// Item 6: a folder racine may not write in. Root writes anywhere: the test then runs
// racine as nobody (setpriv, util-linux), so that the folder's mode is what decides.
TEST(OutputCli, AReadOnlyFolderIsExit2AndLeavesTheFileAlone) {
  TempDir d;
  const fs::path dir = d.path() / "ro";
  fs::create_directories(dir);
  const std::string out = (dir / "seed.json").string();
  { std::ofstream(out) << "old"; }
  fs::permissions(out, fs::perms(0666));
  fs::permissions(d.path(), fs::perms(0755));
  fs::permissions(dir, fs::perms(0555));
  std::string cmd;
  if (geteuid() == 0) cmd = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  const std::string err = (d.path() / "err").string();
  cmd += quoted_arg(RACINE_BINARY) + " export -o " + quoted_arg(out) + " 2>" + quoted_arg(err);
  const int raw = std::system(cmd.c_str());
  fs::permissions(dir, fs::perms(0755));
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 2);
  EXPECT_EQ(read_text(err), "racine: " + out + ": cannot be written: Permission denied\n");
  EXPECT_EQ(read_text(out), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

// Item 6: a closed pipe ends racine quietly by SIGPIPE (the convention of cat and grep),
// even when the parent ignored the signal; nothing on standard error.
TEST(OutputCli, AClosedPipeEndsRacineQuietlyBySigpipe) {
  for (const bool ignore : {false, true}) {
    const Outcome r = racine_into_closed_pipe({"export", "--format", "html"}, ignore);
    EXPECT_EQ(r.status, 128 + SIGPIPE) << ignore;
    EXPECT_EQ(r.err, "") << ignore;
  }
  // What a shell pipeline sees: `racine export | head -c1`, with a matrix whose JSON is
  // far larger than a pipe's buffer, so that racine is still writing when head leaves.
  TempDir d;
  std::string big = "| Activity | Client | Provider |\n|---|---|---|\n";
  for (int i = 0; i < 20000; ++i) big += "| Activity number " + std::to_string(i) + " | RA | I |\n";
  const auto matrix = d.write("big.md", big);
  const std::string script =
      d.write("pipe.sh", "set -o pipefail\n" + quoted_arg(RACINE_BINARY) + " export " +
                             quoted_arg(matrix) + " 2>" + quoted_arg((d.path() / "err").string()) +
                             " | head -c1 >/dev/null\necho \"${PIPESTATUS[0]}\"\n");
  FILE* p = popen(("bash " + script).c_str(), "r");
  std::string status;
  char buf[64];
  while (std::fgets(buf, sizeof buf, p) != nullptr) status += buf;
  pclose(p);
  EXPECT_EQ(status, "141\n");
  EXPECT_EQ(read_text((d.path() / "err").string()), "");
}

// Item 7: a party named to forge a GitHub annotation, titles with ANSI escapes: every
// text printer shows them escaped.
TEST(OutputCli, ControlCharactersFromInputArePrintedEscaped) {
  TempDir d;
  const auto p = d.write("forged.json", k_forged_json);
  const Outcome lint = racine({"lint", p});
  EXPECT_EQ(lint.status, 1) << lint.err;
  EXPECT_NE(lint.out.find("(Ops\\n::error file=README.md::forged, Dev\\x1b]0;x\\x07)"),
            std::string::npos)
      << lint.out;
  expect_no_forgery(lint.out);
  const Outcome who = racine({"who", "--matrix", p, "back", "up"});
  EXPECT_EQ(who.status, 0) << who.err;
  EXPECT_NE(who.out.find("1. Back up\\n::notice::y  ["), std::string::npos) << who.out;
  EXPECT_NE(who.out.find("   Run\\r::warning::x ("), std::string::npos) << who.out;
  EXPECT_NE(who.out.find("A: Ops\\n::error file=README.md::forged, Dev\\x1b]0;x\\x07"),
            std::string::npos)
      << who.out;
  expect_no_forgery(who.out);
  const Outcome duties = racine({"duties", "ops", "--matrix", p});
  EXPECT_EQ(duties.status, 0) << duties.err;
  EXPECT_EQ(duties.out.rfind("Ops\\n::error file=README.md::forged: 1 "
                             "activity\n\nRun\\r::warning::x\n  RA   Back up\\n::notice::y  (",
                             0),
            0U)
      << duties.out;
  expect_no_forgery(duties.out);
  const Outcome summary = racine({"summary", p});
  EXPECT_EQ(summary.status, 0) << summary.err;
  EXPECT_EQ(summary.out.rfind("Forged\\x1b[31m title: 1 activities\n", 0), 0U) << summary.out;
  EXPECT_NE(summary.out.find("  Ops\\n::error file=README.md::forged "), std::string::npos)
      << summary.out;
  expect_no_forgery(summary.out);
  const Outcome options = racine({"options", p});
  EXPECT_EQ(options.status, 0);
  expect_no_forgery(options.out);
  for (const char* format : {"text", "md"}) {
    const Outcome diff = racine({"diff", "--format", format, seed_path(), p});
    EXPECT_EQ(diff.status, 1) << diff.err;
    EXPECT_NE(diff.out.find("Ops\\n::error file=README.md::forged"), std::string::npos) << diff.out;
    expect_no_forgery(diff.out);
  }
  // JSON and SARIF escape as their formats require.
  const Outcome json_lint = racine({"lint", "--format", "json", p});
  EXPECT_NE(json_lint.out.find("Ops\\n::error file=README.md::forged, Dev\\u001b]0;x\\u0007"),
            std::string::npos)
      << json_lint.out;
  expect_no_forgery(json_lint.out);
  const Outcome sarif = racine({"lint", "--format", "sarif", p});
  EXPECT_NE(sarif.out.find("Ops\\n::error file=README.md::forged"), std::string::npos);
  expect_no_forgery(sarif.out);
}

// Item 7: messages that quote input or arguments escape them too.
TEST(OutputCli, ErrorsQuotingInputOrArgumentsAreEscaped) {
  const Outcome explain = racine({"explain", "X\n::error file=a::forged"});
  EXPECT_EQ(explain.status, 2);
  EXPECT_EQ(explain.err,
            "racine: unknown rule code 'X\\n::error file=a::forged' (racine rules lists them)\n");
  const Outcome duties = racine({"duties", "Nobody\x1b[2J"});
  EXPECT_EQ(duties.status, 2);
  EXPECT_EQ(duties.err.rfind("racine: no party 'Nobody\\x1b[2J' in this matrix (parties: ", 0), 0U)
      << duties.err;
  const Outcome usage = racine({"lint", "--format", "x\n::error::forged"});
  EXPECT_EQ(usage.status, 2);
  EXPECT_EQ(usage.err.find("\n::"), std::string::npos) << usage.err;
  EXPECT_NE(usage.err.find("x\\n::error::forged"), std::string::npos) << usage.err;
  // A path that is not UTF-8: escaped in text, replaced (U+FFFD) in SARIF and JSON;
  // SARIF threw before (exit 3, "internal error").
  for (const char* format : {"text", "json", "sarif"}) {
    const Outcome p = racine({"lint", "--format", format, "/nonexistent/\xff.md"});
    EXPECT_EQ(p.status, 2) << format << p.err;
    EXPECT_EQ(p.err, "racine: /nonexistent/\\xff.md: no such file\n") << format;
    if (std::string(format) != "text") {
      EXPECT_NE(p.out.find("\xEF\xBF\xBD.md"), std::string::npos) << format << p.out;
    }
  }
  TempDir d;
  const auto bad =
      d.write("bad\x1b.yaml",
              "racine: 1\nparties: [{id: a, name: A}]\nsections:\n  - title: S\n"
              "    activities:\n      - title: T\n        roles: {a: R, \"b\\e\": A}\n");
  const Outcome r = racine({"lint", bad});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad\\x1b.yaml:7:"), std::string::npos) << r.err;
}

// Item 9: convert and export never write one format under another's extension.
TEST(OutputCli, EveryWriterIsReachableAndExtensionsAreHonoured) {
  TempDir d;
  const std::string xlsx = (d.path() / "out.xlsx").string();
  const Outcome c = racine({"convert", seed_path(), xlsx});
  EXPECT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(read_text(xlsx).substr(0, 4), std::string("PK\x03\x04", 4));
  const std::string html = (d.path() / "out.html").string();
  EXPECT_EQ(racine({"convert", seed_path(), html}).status, 0);
  EXPECT_EQ(read_text(html).rfind("<!DOCTYPE html>", 0), 0U) << read_text(html).substr(0, 40);
  // An extension no format has: convert cannot tell, and says what it can write.
  const std::string txt = (d.path() / "out.txt").string();
  const Outcome t = racine({"convert", seed_path(), txt});
  EXPECT_EQ(t.status, 2);
  EXPECT_EQ(
      t.err,
      "racine: convert: the extension of " + txt +
          " names no format: give --to (md, yaml, json, csv, html, xlsx, oscal, ccm, ccm-csv)\n");
  EXPECT_FALSE(fs::exists(txt));
  EXPECT_EQ(racine({"convert", "--to", "yaml", seed_path(), txt}).status, 0);
  EXPECT_EQ(read_text(txt).rfind("racine: 1\n", 0), 0U);
  // A format and an extension that disagree.
  const std::string json_path = (d.path() / "out.json").string();
  const Outcome e = racine({"export", "--format", "yaml", "-o", json_path});
  EXPECT_EQ(e.status, 2);
  EXPECT_EQ(
      e.err,
      "racine: export: " + json_path +
          " would write yaml under the extension of another format (json, oscal, ccm, oscal-ssp, "
          "oscal-ssp-customer): change the extension or the format\n");
  EXPECT_FALSE(fs::exists(json_path));
  const Outcome conv = racine({"convert", "--to", "md", seed_path(), xlsx});
  EXPECT_EQ(conv.status, 2);
  // The extension names the format when no flag does; formats of the same extension fit.
  const std::string yaml = (d.path() / "out.yaml").string();
  EXPECT_EQ(racine({"export", "-o", yaml}).status, 0);
  EXPECT_EQ(read_text(yaml).rfind("racine: 1\n", 0), 0U);
  EXPECT_EQ(racine({"export", "--format", "oscal", "-o", json_path}).status, 0);
  const std::string rx = (d.path() / "resolved.xlsx").string();
  EXPECT_EQ(racine({"resolve", "--with", "infogerance-complementaire", "-o", rx}).status, 0);
  EXPECT_EQ(read_text(rx).substr(0, 2), "PK");
  EXPECT_EQ(racine({"resolve", "--with", "infogerance-complementaire", "--format", "html"})
                .out.rfind("<!DOCTYPE html>", 0),
            0U);
}

// Item 9: --from FORMAT for every command that reads standard input.
TEST(OutputCli, FromWorksForEveryCommandReadingStandardInput) {
  const std::string yaml = racine({"export", "--format", "yaml"}).out;
  const std::string csv = racine({"export", "--format", "csv"}).out;
  ASSERT_EQ(yaml.rfind("racine: 1\n", 0), 0U);
  const std::vector<std::vector<std::string>> commands = {{"lint", "-"},
                                                          {"export", "-"},
                                                          {"convert", "--to", "json", "-", "-"},
                                                          {"options", "-"},
                                                          {"who", "--matrix", "-", "backup"},
                                                          {"duties", "client", "--matrix", "-"},
                                                          {"summary", "-"},
                                                          {"diff", seed_path(), "-"},
                                                          {"i18n", seed_path(), "-"}};
  for (auto args : commands) {
    for (const auto& [format, text] : {std::pair{"yaml", yaml}, std::pair{"csv", csv}}) {
      auto with_from = args;
      with_from.insert(with_from.begin() + 1, {"--from", format});
      const Outcome r = racine(with_from, text);
      EXPECT_LT(r.status, 2) << args[0] << " " << format << ": " << r.err;
      EXPECT_EQ(r.err.find("racine:"), std::string::npos)
          << args[0] << " " << format << ": " << r.err;
    }
  }
  const Outcome resolve =
      racine({"resolve", "--from", "yaml", "--with", "infogerance-complementaire", "-"}, yaml);
  EXPECT_EQ(resolve.status, 0) << resolve.err;
  EXPECT_EQ(resolve.out, racine({"resolve", "--with", "infogerance-complementaire"}).out);
  const Outcome no_from = racine({"lint", "-"}, yaml);
  EXPECT_EQ(no_from.status, 2);  // read as Markdown: no table
}

// Item 10: SOURCE_DATE_EPOCH is range-checked.
TEST(OutputCli, SourceDateEpochIsRangeChecked) {
  for (const std::string bad : {"abc", "-1", "99999999999999999999", "253402300800", "12x", " 1"}) {
    const Outcome r = racine({"export", "--format", "oscal"}, "", {"SOURCE_DATE_EPOCH=" + bad});
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_EQ(
        r.err,
        "racine: SOURCE_DATE_EPOCH: '" + bad +
            "' is not a time: give whole seconds since 1970-01-01 UTC, from 0 to 253402300799\n")
        << bad;
    EXPECT_EQ(r.out, "");
  }
  const Outcome last =
      racine({"export", "--format", "oscal"}, "", {"SOURCE_DATE_EPOCH=253402300799"});
  EXPECT_EQ(last.status, 0) << last.err;
  EXPECT_NE(last.out.find("\"last-modified\": \"9999-12-31T23:59:59Z\""), std::string::npos);
  const Outcome zero = racine({"export", "--format", "oscal"}, "", {"SOURCE_DATE_EPOCH=0"});
  EXPECT_NE(zero.out.find("\"last-modified\": \"1970-01-01T00:00:00Z\""), std::string::npos);
}

// Item 10: numbers of the configuration file are range-checked too (a silent clamp or a
// wrap-around before).
TEST(OutputCli, NumbersInTheConfigurationAreRangeChecked) {
  TempDir d;
  const auto m = d.write("m.md", md_with_party("Client"));
  const auto cfg = d.write(".racine.yaml", "limits:\n  max-columns: 2000000\n");
  const Outcome cols = racine({"lint", m});
  EXPECT_EQ(cols.status, 2);
  EXPECT_EQ(cols.err,
            cfg + ":2:16: error: 'max-columns' must be a positive integer, at most 1048576\n");
  d.write(".racine.yaml", "limits:\n  max-bytes: 99999999999999999999\n");
  const Outcome bytes = racine({"lint", m});
  EXPECT_EQ(bytes.status, 2);
  EXPECT_EQ(bytes.err,
            cfg + ":2:14: error: 'max-bytes' must be a positive integer, at most 4294967295\n");
  d.write(".racine.yaml", "limits:\n  max-padding-cells: 4294967296\n");
  const Outcome pad = racine({"lint", m});
  EXPECT_EQ(pad.status, 2);
  EXPECT_EQ(
      pad.err,
      cfg + ":2:22: error: 'max-padding-cells' must be a positive integer, at most 4294967295\n");
  d.write(".racine.yaml", "limits:\n  max-columns: 1048576\n  max-bytes: 4294967295\n");
  EXPECT_EQ(racine({"lint", m}).status, 0);
}

}  // namespace racine::test
