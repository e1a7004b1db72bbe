// convert and fmt end to end: formats by extension or flag, the unified diff of
// `fmt --check`, files rewritten in place, hostile inputs of the new readers.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "cli/cli_test_support.h"
#include "prerequisites.h"

namespace racine::test {

TEST(FormatsCli, ConvertByExtensionAndBack) {
  TempDir d;
  const std::string yaml = (d.path() / "m.yaml").string();
  const std::string csv = (d.path() / "m.csv").string();
  const std::string md = (d.path() / "m.md").string();
  ASSERT_EQ(racine({"convert", seed_path(), yaml}).status, 0);
  ASSERT_EQ(racine({"convert", yaml, csv}).status, 0);
  ASSERT_EQ(racine({"convert", csv, md}).status, 0);
  EXPECT_EQ(read_text(yaml).rfind("racine: 1\nid: managed-kubernetes\n", 0), 0U);
  EXPECT_EQ(read_text(csv).rfind("\xEF\xBB\xBFsection,id,title,Client,Cloud Temple\r\n", 0), 0U);
  // The same defects, whatever the format.
  for (const auto& f : {yaml, csv, md}) {
    const Outcome r = racine({"lint", "--format", "json", f});
    EXPECT_EQ(r.status, 1) << f << r.err;
    EXPECT_NE(r.out.find("\"code\": \"RAC202\""), std::string::npos) << f;
    EXPECT_NE(r.out.find("\"code\": \"RAC201\""), std::string::npos) << f;
  }
  // Standard input and output need the formats named.
  const Outcome to_stdout = racine({"convert", seed_path(), "-"});
  EXPECT_EQ(to_stdout.status, 2);
  EXPECT_EQ(to_stdout.err, "racine: convert: --to is needed to write to standard output\n");
  const Outcome piped =
      racine({"convert", "--from", "yaml", "--to", "json", "-", "-"}, read_text(yaml));
  EXPECT_EQ(piped.status, 0) << piped.err;
  EXPECT_EQ(piped.out.rfind("{\n  \"racine\": 1,", 0), 0U);
  EXPECT_EQ(racine({"convert", "--to", "xlsx", seed_path(), "-"}).status, 2);
}

TEST(FormatsCli, ConvertRefusesBadInputWithLocation) {
  TempDir d;
  const auto yaml = d.write(
      "bad.yaml",
      "racine: 1\nparties:\n  - {id: a, name: A}\nsections:\n  - title: S\n    activities:\n"
      "      - title: T\n        roles: {a: R, b: A}\n");
  const Outcome r = racine({"convert", yaml, (d.path() / "out.md").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, yaml + ":8:23: error: unknown party id 'b' (parties: a)\n");
  EXPECT_FALSE(std::filesystem::exists(d.path() / "out.md"));
  const auto csv = d.write("bad.csv", "section,id,title,A\nS,x,\"open,RA\n");
  const Outcome c = racine({"lint", csv});
  EXPECT_EQ(c.status, 2);
  EXPECT_EQ(c.err, csv + ":2:5: error: quoted field never closed: a '\"' is missing\n");
}

TEST(FormatsCli, HugeInputsOfEveryReaderAreRefused) {
  TempDir d;
  for (const char* name : {"huge.csv", "huge.yaml", "huge.json"}) {
    const auto p = (d.path() / name).string();
    {
      std::ofstream out(p, std::ios::binary);
      const std::string line =
          "S,x,An activity with a long enough title for a hundred megabytes,RA\n";
      for (std::size_t n = 0; n * line.size() < 100U * 1000 * 1000; ++n) out << line;
    }
    const Outcome r = racine({"lint", p});
    EXPECT_EQ(r.status, 2) << name;
    EXPECT_EQ(r.err,
              "racine: " + p +
                  ": input is 95.4 MiB, above the limit of 64.0 MiB (raise limits.max-bytes in "
                  ".racine.yaml to read it)\n");
  }
}

TEST(FormatsCli, FmtCheckPrintsADiffAndFmtRewrites) {
  TempDir d;
  const std::string before =
      "# Ops\n\nSome prose | with a pipe.\n\n"
      "| Task | **Client** | Provider |\n|:--|---|--:|\n| Back up | **ar** | ic* |\n| Restore the "
      "data | C | RA |\n\n"
      "*Can be delegated.\n";
  const auto p = d.write("ops.md", before);
  const Outcome check = racine({"fmt", "--check", p});
  EXPECT_EQ(check.status, 1) << check.err;
  EXPECT_EQ(check.out, "--- " + p + "\n+++ " + p +
                           " (formatted)\n@@ -2,9 +2,9 @@\n \n Some prose | with a pipe.\n \n"
                           "-| Task | **Client** | Provider |\n-|:--|---|--:|\n-| Back up | **ar** "
                           "| ic* |\n-| Restore the data | C | RA |\n"
                           "+| Task             | **Client** | Provider |\n+| :--------------- | "
                           "---------- | -------: |\n"
                           "+| Back up          | **RA**     | CI*      |\n+| Restore the data | C "
                           "         | RA       |\n \n *Can be delegated.\n");
  EXPECT_EQ(read_text(p), before);  // --check changes nothing
  const Outcome write = racine({"fmt", p});
  EXPECT_EQ(write.status, 0) << write.err;
  EXPECT_EQ(write.err, "racine: formatted 1 of 1 files\n");
  EXPECT_EQ(
      read_text(p),
      "# Ops\n\nSome prose | with a pipe.\n\n| Task             | **Client** | Provider |\n"
      "| :--------------- | ---------- | -------: |\n| Back up          | **RA**     | CI*      |\n"
      "| Restore the data | C          | RA       |\n\n*Can be delegated.\n");
  // Idempotent: a second check finds nothing.
  const Outcome again = racine({"fmt", "--check", p});
  EXPECT_EQ(again.status, 0);
  EXPECT_EQ(again.out, "");
  // A Markdown file without a RACI table is left alone; other formats are refused.
  const auto readme = d.write("README.md", "# Hello\n\n| a | b |\n|---|---|\n| x | y |\n");
  EXPECT_EQ(racine({"fmt", "--check", readme}).status, 0);
  const auto yaml = d.write("m.yaml", "racine: 1\n");
  const Outcome y = racine({"fmt", yaml});
  EXPECT_EQ(y.status, 2);
  EXPECT_EQ(y.err, "racine: " + yaml +
                       ": fmt rewrites Markdown; `racine convert` writes the other formats\n");
  // Standard input to standard output.
  const Outcome piped = racine({"fmt", "-"}, before);
  EXPECT_EQ(piped.status, 0);
  EXPECT_EQ(piped.out, read_text(p));
}

TEST(FormatsCli, FmtKeepsCrlfAndLeavesUnsafeTablesAlone) {
  TempDir d;
  const std::string crlf = "| Task | A | B |\r\n|---|---|---|\r\n| Do it | ar | i |\r\n";
  const auto p = d.write("crlf.md", crlf);
  ASSERT_EQ(racine({"fmt", p}).status, 0);
  EXPECT_EQ(read_text(p),
            "| Task  | A   | B   |\r\n| ----- | --- | --- |\r\n| Do it | RA  | I   |\r\n");
  // A table in a quote, and one with a broken row: left as written.
  const std::string unsafe =
      "> | Task | A | B |\n> |---|---|---|\n> | Do | ar | i |\n\n| Task | A | B "
      "|\n|---|---|---|\n| Do | ar |\n";
  const auto q = d.write("unsafe.md", unsafe);
  ASSERT_EQ(racine({"fmt", q}).status, 0);
  EXPECT_EQ(read_text(q), unsafe);
}

}  // namespace racine::test

namespace racine::test {

// Completions and the man page come from the command-line definition: every command is
// in them, and the bash script completes commands and options.
TEST(FormatsCli, CompletionsAndManPage) {
  const std::vector<std::string> commands = {
      "lint",   "fmt",     "export",  "convert", "options",    "resolve", "who",
      "duties", "summary", "explain", "rules",   "completion", "man"};
  TempDir d;
  const Outcome b = racine({"completion", "bash"});
  ASSERT_EQ(b.status, 0);
  const auto script = d.write("racine.bash", b.out);
  auto complete = [&](const std::string& words, int cword) {
    const std::string cmd = "source " + script + "; COMP_WORDS=(" + words +
                            "); COMP_CWORD=" + std::to_string(cword) +
                            "; _racine; printf '%s\\n' \"${COMPREPLY[@]}\"";
    const auto out = d.write("run.sh", cmd);
    FILE* p = popen(("bash " + out).c_str(), "r");
    std::string result;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p) != nullptr) result += buf;
    pclose(p);
    return result;
  };
  EXPECT_EQ(complete("racine li", 1), "lint\n");
  EXPECT_EQ(complete("racine lint --fo", 2), "--format\n");
  EXPECT_EQ(complete("racine who --wi", 2), "--with\n");
  for (const char* shell : {"zsh", "fish"}) {
    const Outcome r = racine({"completion", shell});
    EXPECT_EQ(r.status, 0);
    for (const auto& c : commands) EXPECT_NE(r.out.find(c), std::string::npos) << shell << " " << c;
  }
  EXPECT_EQ(racine({"completion", "tcsh"}).status, 2);
  const Outcome man = racine({"man"});
  ASSERT_EQ(man.status, 0);
  EXPECT_EQ(man.out.rfind(".TH RACINE 1 ", 0), 0U);
  for (const auto& c : commands)
    EXPECT_NE(man.out.find(".SS \"racine " + c + "\""), std::string::npos) << c;
  EXPECT_NE(man.out.find("\\fB\\-\\-check\\fR"), std::string::npos);
  EXPECT_NE(man.out.find(".SH EXIT STATUS"), std::string::npos);
}

// The man page documents every command (nested ones too) with every option its help
// lists, examples and exit statuses; it has a date, ENVIRONMENT, FILES and EXAMPLES; and
// groff reads it without a warning, in English and in French.
TEST(FormatsCli, ManPageDocumentsEveryCommandAndOption) {
  const std::string page = racine({"man"}).out;
  EXPECT_TRUE(std::regex_search(page, std::regex(R"(^\.TH RACINE 1 "\d{4}-\d\d-\d\d" "racine )")))
      << page.substr(0, 80);
  const std::vector<std::string> commands = {
      "lint",         "fmt",        "export",  "show",    "init",     "convert",    "options",
      "resolve",      "who",        "duties",  "summary", "diff",     "i18n",       "explain",
      "rules",        "completion", "man",     "k8s who", "k8s lint", "route test", "serve",
      "token create", "backup",     "restore", "help",    "version"};
  std::size_t sections = 0;
  for (std::size_t at = 0; (at = page.find("\n.SS \"racine ", at)) != std::string::npos; ++at)
    ++sections;
  EXPECT_EQ(sections, commands.size());
  for (const auto& c : commands) {
    const std::size_t begin = page.find(".SS \"racine " + c + "\"");
    ASSERT_NE(begin, std::string::npos) << c;
    const std::size_t end = std::min(page.find("\n.SS ", begin + 1), page.find("\n.SH ", begin));
    const std::string section = page.substr(begin, end - begin);
    EXPECT_NE(section.find("\nExit status:\n"), std::string::npos) << c;
    if (c != "help" && c != "version") {
      EXPECT_NE(section.find("\nExamples:\n"), std::string::npos) << c;
    }
    std::vector<std::string> args;
    std::istringstream words(c);
    for (std::string w; words >> w;) args.push_back(w);
    args.emplace_back("--help");
    // `racine help --help` is racine's own help: its options are not the command's.
    const std::string help = c == "help" ? std::string() : racine(args).out;
    const std::regex option(R"(\n  (?:-\w, ?)?--([a-z-]+))");
    std::size_t options = 0;
    for (auto it = std::sregex_iterator(help.begin(), help.end(), option);
         it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[1];
      if (name == "help") continue;
      ++options;
      std::string roff;
      for (const char ch : name) roff += ch == '-' ? std::string("\\-") : std::string(1, ch);
      EXPECT_NE(section.find("\\fB\\-\\-" + roff + "\\fR"), std::string::npos)
          << c << ": --" << name;
    }
    if (c == "serve") {
      EXPECT_EQ(options, 31U);
    }
  }
  for (const char* heading : {".SH EXIT STATUS", ".SH ENVIRONMENT", ".SH FILES", ".SH EXAMPLES"})
    EXPECT_NE(page.find(heading), std::string::npos) << heading;
  for (const char* name :
       {".B NO_COLOR", ".B SOURCE_DATE_EPOCH", ".B RACINE_DATABASE_URL", ".I .racine.yaml"})
    EXPECT_NE(page.find(name), std::string::npos) << name;

  const bool have_man = std::system("command -v man >/dev/null 2>&1") == 0;
  RACINE_REQUIRE(have_man, "man (Debian package man-db) is not installed");
  TempDir d;
  for (const char* lang : {"LANG=C.UTF-8", "LANG=fr_FR.UTF-8"}) {
    const auto file = d.write("racine.1", racine({"man"}, "", {lang}).out);
    const std::string err = (d.path() / "man.err").string();
    const int status = std::system(
        ("MANWIDTH=80 LANG=C.UTF-8 man --warnings -E UTF-8 -l " + file + " >/dev/null 2>" + err)
            .c_str());
    EXPECT_EQ(status, 0) << lang;
    EXPECT_EQ(read_text(err), "") << lang;
  }
  EXPECT_NE(racine({"man"}, "", {"LANG=fr_FR.UTF-8"}).out.find(".SH CODE DE SORTIE\n"),
            std::string::npos);
}

}  // namespace racine::test

namespace racine::test {

TEST(FormatsCli, ConvertWarnsAboutLettersItCannotWrite) {
  TempDir d;
  const Outcome r = racine(
      {"convert", source_dir() + "/tests/golden/lint/daci.md", (d.path() / "d.yaml").string()});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err,
            "racine: warning: 1 cell holds letters that are not roles (RAC101, see `racine lint`); "
            "they are not written\n");
  // The vocabulary travels: the YAML is read as DACI again.
  const Outcome lint = racine({"lint", (d.path() / "d.yaml").string()});
  EXPECT_EQ(lint.status, 1);
  EXPECT_NE(lint.out.find("2 parties are Drivers (PM, Sales): exactly one must be [RAC206]"),
            std::string::npos);
}

}  // namespace racine::test

namespace racine::test {

TEST(FormatsCli, XlsxWritesAFile) {
  TempDir d;
  const std::string out = (d.path() / "seed.xlsx").string();
  const Outcome r = racine({"export", "--format", "xlsx", "-o", out});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_text(out).substr(0, 2), "PK");  // a zip archive, as XLSX files are
  const Outcome none = racine({"export", "--format", "xlsx"});
  EXPECT_EQ(none.status, 2);
  EXPECT_EQ(none.err, "racine: export --format xlsx writes a file: give -o FILE.xlsx\n");
  const Outcome bad =
      racine({"export", "--format", "xlsx", "-o", (d.path() / "missing" / "x.xlsx").string()});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("cannot be written"), std::string::npos) << bad.err;
}

}  // namespace racine::test
