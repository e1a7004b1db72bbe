// End-to-end tests of the racine command: exit statuses, flags, configuration.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/cli_test_support.h"

namespace racine::test {

TEST(Cli, LintBuiltinFindsTheSeedDefects) {
  const Outcome r = racine({"lint"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(
      r.out.find(
          "<builtin:managed-kubernetes>:53:1: error: 'Gérer la sécurité du service Kubernetes': 2 "
          "parties are Accountable "
          "(Client, Cloud Temple): exactly one must be [RAC202]\n"),
      std::string::npos);
  EXPECT_NE(r.out.find("<builtin:managed-kubernetes>:57:1: error: 'Implémenter et gérer le "
                       "contrôle d'accès basé "
                       "sur les rôles de base (RBAC)': no party is Accountable "
                       "(Client C, Cloud Temple R) [RAC201]\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("1 file checked: 2 errors, 1 warning, 15 infos\n"), std::string::npos);
  EXPECT_EQ(r.err, "");
}

TEST(Cli, LintJsonOfTheSeedFile) {
  const Outcome r = racine({"lint", "--format", "json", seed_path()});
  EXPECT_EQ(r.status, 1);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["files"][0]["activities"], 71);
  EXPECT_EQ(j["files"][0]["parties"], nlohmann::json({"Client", "Cloud Temple"}));
  std::vector<std::string> errors;
  for (const auto& d : j["files"][0]["diagnostics"]) {
    if (d["severity"] == "error")
      errors.push_back(d["code"].get<std::string>() + "@" + std::to_string(d["line"].get<int>()));
  }
  EXPECT_EQ(errors, (std::vector<std::string>{"RAC202@53", "RAC201@57"}));
  EXPECT_EQ(j["summary"],
            nlohmann::json::parse(R"({"files":1,"errors":2,"warnings":1,"infos":15})"));
}

TEST(Cli, DisableSeverityAndStrict) {
  EXPECT_EQ(racine({"lint", "--disable", "RAC201", "--disable", "RAC202"}).status, 0);
  EXPECT_EQ(racine({"lint", "--severity", "RAC201=warning", "--severity", "RAC202=info"}).status,
            0);
  EXPECT_EQ(racine({"lint", "--disable", "RAC201", "--disable", "RAC202", "--strict"}).status, 1);
  // A repeatable option takes one value: the file after it is the file to lint.
  const Outcome file = racine({"lint", "--disable", "RAC202", seed_path()});
  EXPECT_EQ(file.status, 1) << file.err;
  EXPECT_NE(file.out.find(":57:1: error:"), std::string::npos);
  EXPECT_EQ(file.out.find(":53:1: error:"), std::string::npos);
  const Outcome bad = racine({"lint", "--disable", "RAC999"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err, "racine: --disable: unknown rule code 'RAC999' (racine rules lists them)\n");
  EXPECT_EQ(racine({"lint", "--severity", "RAC202"}).status, 2);
  EXPECT_EQ(racine({"lint", "--format", "xml"}).status, 2);
  EXPECT_EQ(racine({"frobnicate"}).status, 2);
}

TEST(Cli, ConfigFileFoundUpward) {
  TempDir d;
  d.write(".racine.yaml", "disable: [RAC201]\nseverity:\n  RAC202: warning\n");
  const std::string md =
      d.write("docs/m.md", "| T | A | B |\n|-|-|-|\n| x | RA | A |\n| y | C | R |\n");
  const Outcome r = racine({"lint", md});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(":3:1: warning: 2 parties are Accountable"), std::string::npos);
  EXPECT_EQ(racine({"lint", "--strict", md}).status, 1);
  // An explicit --config wins, and a broken one is a usage error with its position.
  const std::string bad = d.write("bad.yaml", "disable: [RAC201\n");
  const Outcome b = racine({"lint", "--config", bad, md});
  EXPECT_EQ(b.status, 2);
  EXPECT_NE(b.err.find("bad.yaml:2:1: error: invalid YAML"), std::string::npos) << b.err;
  // A line to point at comes first, as in findings; the program's name is not before it.
  EXPECT_TRUE(b.err.starts_with(bad + ":2:1: error: ")) << b.err;
}

// racine backup and restore (docs/server.md, "Backups"): what they did in one line; an
// existing file, a store that holds data and a file that is no backup refused with exit 2.
TEST(Cli, BackupAndRestoreSayWhatTheyDidAndNeverOverwrite) {
  TempDir d;
  const std::string one = (d.path() / "one").string();
  const std::string two = (d.path() / "two").string();
  const std::string file = (d.path() / "racine.db").string();
  ASSERT_EQ(racine({"token", "create", "--role", "admin", "--data", one}).status, 0);
  Outcome r = racine({"backup", "--data", one, file});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_match(
      r.err, std::regex("racine: backed up [0-9]+ rows of [0-9]+ tables into " + file + "\n")))
      << r.err;
  r = racine({"backup", "--data", one, file});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "racine: backup: '" + file + "' exists: give a new file\n");
  r = racine({"restore", "--data", two, file});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.err.starts_with("racine: restored ")) << r.err;
  r = racine({"restore", "--data", two, file});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.err.ends_with("): restore into an empty store\n")) << r.err;
  const std::string junk = d.write("notes.txt", "not a backup\n");
  r = racine({"restore", "--data", (d.path() / "three").string(), junk});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.err.starts_with("racine: restore: '" + junk + "' is not a racine backup ("))
      << r.err;
  EXPECT_EQ(racine({"backup", "--data", one}).status, 2) << "FILE is required";
}

TEST(Cli, SarifHelpUriBaseFromConfig) {
  TempDir d;
  d.write(".racine.yaml", "sarif:\n  help-uri-base: https://docs.example.org/rules/\n");
  const std::string md = d.write("m.md", "| T | A | B |\n|-|-|-|\n| x | RA | A |\n");
  const Outcome r = racine({"lint", "--format", "sarif", md});
  EXPECT_EQ(r.status, 1);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["runs"][0]["tool"]["driver"]["rules"][7]["helpUri"],
            "https://docs.example.org/rules/RAC202");
  EXPECT_EQ(j["runs"][0]["results"][0]["ruleId"], "RAC202");
}

TEST(Cli, StdinAndSeveralFiles) {
  const Outcome r = racine({"lint", "-"}, "| T | A | B |\n|-|-|-|\n| x | RA | C |\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "1 file checked: 0 errors, 0 warnings, 0 infos\n");
  TempDir d;
  const std::string ok = d.write("ok.md", "| T | A | B |\n|-|-|-|\n| x | RA | C |\n");
  const Outcome two = racine({"lint", ok, seed_path(), d.path().string() + "/missing.md"});
  EXPECT_EQ(two.status, 2);
  EXPECT_NE(two.out.find("2 files checked: 2 errors, 1 warning, 15 infos"), std::string::npos);
  EXPECT_NE(two.err.find("missing.md: no such file"), std::string::npos);
}

TEST(Cli, ColourOnlyOnATerminalAndWithoutNoColor) {
  // Standard output is a file here, so never colour, NO_COLOR or not.
  const Outcome r = racine({"lint"}, "", {"NO_COLOR="});
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  // On a terminal (script(1) gives one): colour, unless NO_COLOR is set.
  TempDir d;
  const std::string out = (d.path() / "tty").string();
  const std::string bin = RACINE_BINARY;
  // script -e passes on lint's exit status, 1 here.
  ASSERT_EQ(std::system(("script -qec 'env -u NO_COLOR TERM=xterm " + bin + " lint' /dev/null > " +
                         out + " || test $? -eq 1")
                            .c_str()),
            0);
  EXPECT_NE(read_text(out).find(
                "\x1b[1;31merror:\x1b[0m 'Gérer la sécurité du service Kubernetes': 2 parties are "
                "Accountable"),
            std::string::npos);
  ASSERT_EQ(std::system(("script -qec 'env NO_COLOR=1 TERM=xterm " + bin + " lint' /dev/null > " +
                         out + " || test $? -eq 1")
                            .c_str()),
            0);
  EXPECT_EQ(read_text(out).find('\x1b'), std::string::npos);
}

TEST(Cli, ExplainAndRules) {
  const Outcome e = racine({"explain", "RAC202"});
  EXPECT_EQ(e.status, 0);
  EXPECT_EQ(e.out.rfind("# RAC202: single-accountable\n", 0), 0U);
  EXPECT_EQ(racine({"explain", "single-accountable"}).out, e.out);
  EXPECT_EQ(racine({"explain", "rac202"}).out, e.out);
  const Outcome u = racine({"explain", "RAC999"});
  EXPECT_EQ(u.status, 2);
  EXPECT_EQ(u.err, "racine: unknown rule code 'RAC999' (racine rules lists them)\n");
  const Outcome rules = racine({"rules"});
  EXPECT_EQ(rules.status, 0);
  EXPECT_NE(rules.out.find("RAC202  error    single-accountable         each activity has exactly "
                           "one Accountable party\n"),
            std::string::npos);
  EXPECT_EQ(std::count(rules.out.begin(), rules.out.end(), '\n'), 24);
}

TEST(Cli, ExportJson) {
  const Outcome r = racine({"export", "--format", "json"});
  EXPECT_EQ(r.status, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["racine"], 1);
  EXPECT_EQ(j["id"], "managed-kubernetes");
  EXPECT_EQ(j["language"], "fr");
  EXPECT_EQ(
      j["parties"],
      nlohmann::json::parse(
          R"([{"id":"client","name":"Client"},{"id":"cloud-temple","name":"Cloud Temple"}])"));
  EXPECT_EQ(j["options"].size(), 1U);
  EXPECT_EQ(j["sections"][4]["activities"][0]["line"], 53);
  EXPECT_EQ(j["sections"][4]["activities"][0]["roles"],
            nlohmann::json::parse(R"({"client":"RA","cloud-temple":"RA"})"));
  EXPECT_EQ(j["sections"][1]["activities"][0]["markers"],
            nlohmann::json::parse(R"({"cloud-temple":["*"]})"));
  TempDir d;
  const std::string out = (d.path() / "m.json").string();
  EXPECT_EQ(racine({"export", "--format", "json", "-o", out}).status, 0);
  EXPECT_EQ(racine({"export", "--format", "xlsx"}).status, 2);
}

}  // namespace racine::test

namespace racine::test {

// The command line behaves like git's and kubectl's (issue 18, item 2): an unknown
// command is named with the nearest one, `help` and `version` are commands, every error
// has one prefix and says where to read more, and an empty query is a usage error.
TEST(Cli, CommandLineConventions) {
  const auto typo = racine({"lnt", "x.md"});
  EXPECT_EQ(typo.status, 2);
  EXPECT_EQ(typo.err,
            "racine: unknown command 'lnt'; did you mean 'lint'?\n"
            "Run 'racine help' for the list of commands.\n");
  EXPECT_EQ(racine({"k8s", "whoo"}).err,
            "racine: unknown command 'k8s whoo'; did you mean 'k8s who'?\n"
            "Run 'racine help' for the list of commands.\n");
  const auto none = racine({"xyzzy"});
  EXPECT_EQ(none.status, 2);
  EXPECT_TRUE(none.err.starts_with("racine: unknown command 'xyzzy' (commands: lint, fmt, "))
      << none.err;
  const auto help = racine({"help", "who"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out, racine({"who", "--help"}).out);
  EXPECT_NE(help.out.find("Usage: racine who [OPTIONS] QUERY..."), std::string::npos) << help.out;
  EXPECT_EQ(racine({"help", "k8s", "who"}).out, racine({"k8s", "who", "--help"}).out);
  EXPECT_EQ(racine({"help", "lnt"}).err, "racine: unknown command 'lnt'; did you mean 'lint'?\n");
  EXPECT_EQ(racine({"version"}).out, racine({"--version"}).out);
  EXPECT_EQ(racine({"version"}).status, 0);
  const auto parser = racine({"lint", "--format", "yml"});
  EXPECT_EQ(parser.status, 2);
  EXPECT_EQ(parser.err,
            "racine: --format: 'yml' is not one of text, json, sarif, github\n"
            "Run 'racine lint --help' for more information.\n");
  // The parser's other errors, in words too.
  EXPECT_EQ(racine({"lint", "--stric"}).err,
            "racine: unknown option '--stric'; did you mean '--strict'?\n"
            "Run 'racine lint --help' for more information.\n");
  EXPECT_EQ(racine({"who", "--limit", "0", "x"}).err,
            "racine: --limit: '0' is not a number from 1 to 1000\n"
            "Run 'racine who --help' for more information.\n");
  EXPECT_EQ(racine({"who"}).err,
            "racine: QUERY is missing\nRun 'racine who --help' for more information.\n");
  EXPECT_EQ(racine({"lint", "--format"}).err,
            "racine: --format needs a value\nRun 'racine lint --help' for more information.\n");
  EXPECT_EQ(racine({"serve", "--data", "d", "--database", "postgresql://x"}).err,
            "racine: --data and --database cannot be used together\n"
            "Run 'racine serve --help' for more information.\n");
  const auto empty = racine({"who", "  "});
  EXPECT_EQ(empty.status, 2);
  EXPECT_EQ(empty.err,
            "racine: the query is empty: say what to look for (racine who \"sauvegarde\")\n");
}

}  // namespace racine::test

namespace racine::test {

// Every command's help describes its options in words (value names, allowed values,
// defaults), gives examples and its exit statuses; no parser jargon is left.
TEST(Cli, HelpSaysValuesDefaultsExamplesAndExitStatuses) {
  const std::vector<std::vector<std::string>> commands = {{"lint"},        {"fmt"},
                                                          {"export"},      {"show"},
                                                          {"init"},        {"convert"},
                                                          {"options"},     {"resolve"},
                                                          {"who"},         {"duties"},
                                                          {"summary"},     {"diff"},
                                                          {"i18n"},        {"explain"},
                                                          {"rules"},       {"completion"},
                                                          {"man"},         {"k8s", "who"},
                                                          {"k8s", "lint"}, {"route", "test"},
                                                          {"serve"},       {"token", "create"},
                                                          {"backup"},      {"restore"}};
  for (auto args : commands) {
    const std::string name = args.size() == 1 ? args[0] : args[0] + " " + args[1];
    args.emplace_back("--help");
    const auto help = racine(args);
    EXPECT_EQ(help.status, 0) << name;
    EXPECT_TRUE(help.out.find("Usage: racine " + name) != std::string::npos) << help.out;
    EXPECT_NE(help.out.find("\nExamples:\n  "), std::string::npos) << name << "\n" << help.out;
    EXPECT_NE(help.out.find("\nExit status:\n  0: "), std::string::npos) << name << "\n"
                                                                         << help.out;
    for (const char* jargon : {" TEXT", "UINT", "FLOAT", "REQUIRED", "Excludes", ":{", "=text"})
      EXPECT_EQ(help.out.find(jargon), std::string::npos) << name << ": " << jargon << "\n"
                                                          << help.out;
  }
  const auto who = racine({"who", "--help"}).out;
  EXPECT_NE(who.find("  --limit N                     Show at most this many activities "
                     "(allowed: 1 to 1000; default: 5)\n"),
            std::string::npos)
      << who;
  EXPECT_NE(who.find("  --with OPTION                 Apply this contract option first (see "
                     "`racine options`; repeatable)\n"),
            std::string::npos)
      << who;
  EXPECT_NE(who.find("Exit status:\n  0: the matrix covers the question\n  1: no activity covers "
                     "it: the gray zone"),
            std::string::npos)
      << who;
  const auto serve = racine({"serve", "--help"}).out;
  EXPECT_NE(serve.find("  --data DIR                    Folder of the SQLite store (default: "
                       "racine-data; not with --database)\n"),
            std::string::npos)
      << serve;
  EXPECT_NE(racine({"lint", "--help"})
                .out.find("  --format FORMAT               Output format: text, "
                          "json, sarif (code scanning) or github (GitHub "
                          "Actions annotations) (default: text)\n"),
            std::string::npos);
}

// Messages and help follow LC_ALL, LC_MESSAGES, LANG and LANGUAGE as gettext reads them:
// French when they ask for it (even where the French locale is not installed), English
// otherwise. Findings stay in English.
TEST(Cli, MessagesFollowTheLocale) {
  const std::string typo_fr =
      "racine: commande inconnue 'lnt' ; vouliez-vous dire 'lint' ?\n"
      "Lancez 'racine help' pour la liste des commandes.\n";
  const std::string typo_en =
      "racine: unknown command 'lnt'; did you mean 'lint'?\n"
      "Run 'racine help' for the list of commands.\n";
  EXPECT_EQ(racine({"lnt"}, "", {"LANG=fr_FR.UTF-8"}).err, typo_fr);
  EXPECT_EQ(racine({"lnt"}, "", {"LANG=en_US.UTF-8", "LC_MESSAGES=fr_FR.UTF-8"}).err, typo_fr);
  EXPECT_EQ(racine({"lnt"}, "", {"LANG=C.UTF-8", "LANGUAGE=fr"}).err, typo_fr);
  EXPECT_EQ(racine({"lnt"}, "", {"LANG=fr_FR.UTF-8", "LC_ALL=C"}).err, typo_en);
  EXPECT_EQ(racine({"lnt"}, "", {"LANG=de_DE.UTF-8"}).err, typo_en);  // no German catalog
  EXPECT_EQ(racine({"lnt"}).err, typo_en);
  const auto limit = racine({"who", "--limit", "0", "x"}, "", {"LANG=fr_FR.UTF-8"});
  EXPECT_EQ(limit.status, 2);
  EXPECT_EQ(limit.err,
            "racine: --limit : '0' n'est pas un nombre de 1 à 1000\n"
            "Lancez 'racine who --help' pour en savoir plus.\n");
  const auto help = racine({"who", "--help"}, "", {"LANG=fr_FR.UTF-8"});
  EXPECT_TRUE(help.out.starts_with(
      "Qui est responsable de quelque chose : les activités qui correspondent le mieux\n"))
      << help.out;
  EXPECT_NE(help.out.find("  --limit N                     Afficher au plus ce nombre "
                          "d'activités (valeurs : de 1 à 1000 ; défaut : 5)\n"),
            std::string::npos)
      << help.out;
  EXPECT_NE(help.out.find("Code de sortie:\n  0: la matrice couvre la question\n"),
            std::string::npos);
  // Findings in the reader's language, with their values (po/fr.po's forms).
  const auto lint = racine({"lint"}, "", {"LANG=fr_FR.UTF-8"});
  EXPECT_NE(
      lint.out.find("2 parties ont le rôle Approbateur (Client, Cloud Temple)\u202f: il en faut "
                    "exactement une [RAC202]"),
      std::string::npos)
      << lint.out;
  EXPECT_NE(
      lint.out.find("aucune partie n’a le rôle Approbateur (Client C, Cloud Temple R) [RAC201]"),
      std::string::npos);
  // The JSON report keeps the English message, and adds its form and values.
  const auto json_lint = racine({"lint", "--format", "json"}, "", {"LANG=fr_FR.UTF-8"});
  EXPECT_NE(json_lint.out.find("\"message\": \"no party is Accountable (Client C, Cloud Temple "
                               "R)\",\n          \"form\": \"no party is Accountable "
                               "({holdings})\",\n          \"args\": {\"holdings\": \"Client C, "
                               "Cloud Temple R\"}"),
            std::string::npos)
      << json_lint.out;
  EXPECT_NE(lint.out.find("1 file checked: 2 errors, 1 warning, 15 infos"), std::string::npos);
}

// `racine show` prints the built-in matrix byte for byte, so that a finding at
// <builtin:managed-kubernetes>:53 can be followed with the binary alone.
TEST(Cli, ShowPrintsTheBuiltInMatrixAsCompiledIn) {
  const auto shown = racine({"show"});
  EXPECT_EQ(shown.status, 0);
  EXPECT_EQ(shown.out, read_text(source_dir() + "/data/managed-kubernetes.md"));
  const auto lint = racine({"lint"});
  EXPECT_NE(lint.out.find("<builtin:managed-kubernetes>:53:1: error: 'Gérer la sécurité du service "
                          "Kubernetes': 2 parties are Accountable"),
            std::string::npos)
      << lint.out;
  std::vector<std::string> lines;
  std::istringstream in(shown.out);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_GE(lines.size(), 53U);
  EXPECT_TRUE(lines[52].starts_with("| Gérer la sécurité du service Kubernetes ")) << lines[52];
  EXPECT_EQ(racine({"show", "--rules"}).out,
            read_text(source_dir() + "/data/managed-kubernetes.k8s.yaml"));
}

}  // namespace racine::test

namespace racine::test {

// `racine init` writes a starter that lints clean and answers lookups, never overwrites
// a file, and gives a YAML starter its schema for editors.
TEST(Cli, InitWritesACleanStarterAndNeverOverwrites) {
  TempDir d;
  const std::string dir = d.path().string();
  const auto md = racine({"init"}, "", {}, dir);
  EXPECT_EQ(md.status, 0) << md.err;
  EXPECT_EQ(md.out, "wrote raci.md: check it with `racine lint raci.md`\n");
  const auto again = racine({"init"}, "", {}, dir);
  EXPECT_EQ(again.status, 2);
  EXPECT_EQ(again.err,
            "racine: init: raci.md exists: racine init never overwrites a file (--force replaces "
            "it)\n");
  std::filesystem::create_directory(d.path() / "ops");
  const auto yaml = racine({"init", "ops/raci.yaml"}, "", {}, dir);
  EXPECT_EQ(yaml.status, 0) << yaml.err;
  EXPECT_TRUE(std::filesystem::exists(d.path() / "ops" / "racine-1.schema.json"));
  EXPECT_EQ(read_text(dir + "/ops/racine-1.schema.json"),
            read_text(source_dir() + "/docs/schema/racine-1.schema.json"));
  EXPECT_TRUE(read_text(dir + "/ops/raci.yaml")
                  .starts_with("# yaml-language-server: $schema=racine-1.schema.json\n"));
  const auto lint = racine({"lint", "raci.md", "ops/raci.yaml"}, "", {}, dir);
  EXPECT_EQ(lint.status, 0);
  EXPECT_EQ(lint.out, "2 files checked: 0 errors, 0 warnings, 0 infos\n");
  // Both say the same thing: one option that hands the backup row to the provider.
  for (const char* f : {"raci.md", "ops/raci.yaml"}) {
    const auto who = racine(
        {"who", "--json", "--matrix", f, "--with", "managed-services", "who backs up the data?"},
        "", {}, dir);
    EXPECT_EQ(who.status, 0) << f << who.err;
    EXPECT_EQ(nlohmann::json::parse(who.out)["matches"][0]["roles"].dump(),
              R"({"client":"I","provider":"RA"})")
        << f;
  }
  EXPECT_EQ(racine({"init", "x.csv"}, "", {}, dir).status, 2);
}

// `who` shows a cell's qualifier ("R (Build)") after the party's name.
TEST(Cli, WhoShowsCellRemarks) {
  const auto who = racine({"who", "--matrix", "-", "ship"},
                          "| Task | PM | Dev |\n|---|---|---|\n| Ship | A | R (Build) |\n");
  EXPECT_EQ(who.status, 0) << who.err;
  EXPECT_NE(who.out.find("   R: Dev (Build)   A: PM   C: -   I: -\n"), std::string::npos)
      << who.out;
}

}  // namespace racine::test
