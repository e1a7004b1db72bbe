// The Alertmanager export's pieces: globs as regular expressions (checked against glibc's
// fnmatch itself, with RE2, whose syntax Go's regexp and so Alertmanager share), durations,
// what cannot be written, and how text from the rules and the matrix is quoted.
#include <fnmatch.h>
#include <gtest/gtest.h>
#include <re2/re2.h>

#include "formats/loader.h"
#include "k8s/rules.h"
#include "route/alertmanager.h"

namespace racine::route {

namespace {

bool fn(const std::string& glob, const std::string& value) {
  return fnmatch(glob.c_str(), value.c_str(), 0) == 0;
}

bool re(const std::string& regex, const std::string& value) {
  const RE2 anchored("^(?:" + regex + ")$");
  EXPECT_TRUE(anchored.ok()) << regex << ": " << anchored.error();
  return RE2::FullMatch(value, anchored);
}

k8s::RuleSet rules_of(const std::string& text) {
  auto src = load_text(text, "rules.k8s.yaml", Limits{});
  EXPECT_TRUE(src.ok());
  auto r = k8s::parse_rules(*src);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return std::move(*r);
}

Matrix one_party() {
  Matrix m;
  m.id = "solo";
  m.title = "Solo";
  m.parties.push_back({"ops", "Ops", {}});
  return m;
}

}  // namespace

TEST(AlertmanagerExport, GlobsBecomeRegularExpressionsThatMatchWhatFnmatchMatches) {
  const std::vector<std::pair<std::string, std::string>> written = {
      {"kube-system", "kube-system"},
      {"", ""},
      {"*", ".*"},
      {"?*", ".+"},
      {"??*", "..+"},
      {"team-**", "team-.*"},
      {"a.b", "a\\.b"},
      {"a|b(c)^$+{1}", "a\\|b\\(c\\)\\^\\$\\+\\{1\\}"},
      {"lit\\*eral", "lit\\*eral"},
      {"[a-c]?", "[a-c]."},
      {"[!0-9]x", "[^0-9]x"},
      {"[^a]", "[^a]"},
      {"[]z]", "[\\]z]"},
      {"[!]]", "[^\\]]"},
      {"[a-]", "[a\\-]"},
      {"[[:digit:]_]", "[[:digit:]_]"},
      {"[a\\]]", "[a\\]]"},
      {"[ab", "\\[ab"},
      {"[", "\\["},
      {"x[.]y", "x[\\.]y"},
  };
  for (const auto& [glob, regex] : written) {
    std::string why;
    EXPECT_EQ(glob_to_regex(glob, why), regex) << glob;
    EXPECT_EQ(why, "") << glob;
  }
  // Every glob against every value: the expression matches exactly what fnmatch does.
  // clang-format off
  const std::vector<std::string> values = {
      "", "a", "b", "z", "]", "-", "[", "[ab", "ab", "a.b", "axb", "x.y", "xay", "x", "5x",
      "ax", "lit*eral", "litXeral", "team-", "team-a", "kube-system", "a|b(c)^$+{1}", "0", "!",
      "_", "a-", "[a-c]", "aa", "abc", "é", "a\nb"};
  // clang-format on
  for (const auto& [glob, regex] : written) {
    for (const auto& v : values) {
      if (v.find('\n') != std::string::npos && glob.find_first_of("*?[") != std::string::npos)
        continue;  // `*`, `?` and `[!...]` match a line break in fnmatch, `.` does not (docs)
      if (v == "é" && glob.find_first_of("?[") != std::string::npos)
        continue;  // a byte in fnmatch under the C locale, a character in RE2 and Go (docs)
      EXPECT_EQ(re(regex, v), fn(glob, v))
          << "glob '" << glob << "' regex '" << regex << "' value '" << v << "'";
    }
  }
}

TEST(AlertmanagerExport, GlobsWithNoEquivalentAreRefusedWithWhy) {
  std::string why;
  EXPECT_EQ(glob_to_regex("[z-a]", why), "");
  EXPECT_EQ(why,
            "the range z-a has its ends reversed: fnmatch matches nothing with it, a regular "
            "expression refuses it");
  EXPECT_FALSE(fn("[z-a]", "q"));
  glob_to_regex("a\\", why);
  EXPECT_EQ(why, "it ends with a backslash, which fnmatch matches nothing with");
  EXPECT_FALSE(fn("a\\", "a\\"));
  glob_to_regex("[[=a=]]", why);
  EXPECT_EQ(why,
            "a collating element or equivalence class ([= =], [. .]) has no equivalent in "
            "Alertmanager's regular expressions");
  glob_to_regex("[[:alpha]", why);
  EXPECT_EQ(why, "a character class [: is never closed with :]");
  glob_to_regex("[[:word:]]", why);
  EXPECT_EQ(why, "[:word:] is not a character class");
}

TEST(AlertmanagerExport, DurationsAsAlertmanagerWritesThem) {
  EXPECT_EQ(alertmanager_duration(900000), "15m");
  EXPECT_EQ(alertmanager_duration(5400000), "1h30m");
  EXPECT_EQ(alertmanager_duration(90061001), "1d1h1m1s1ms");
  EXPECT_EQ(alertmanager_duration(2000), "2s");
  EXPECT_EQ(alertmanager_duration(0), "0s");
}

// A rule Alertmanager cannot match alike is refused at its line, never written approximately.
TEST(AlertmanagerExport, RulesThatCannotBeWrittenAreErrorsAtTheRule) {
  const Matrix m = one_party();
  auto bad_name = alertmanager_config(
      rules_of("racine-kubernetes: 1\nrules:\n  - name: ok\n    namespace: a\n    activity: x\n"
               "  - name: digits\n    labels: ['1st=\"a\"']\n    activity: x\n"),
      m, {});
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().to_string(),
            "rules.k8s.yaml:6:5: rule 'digits' cannot be written as an Alertmanager route that "
            "matches what it matches: the label name '1st' is not one Alertmanager takes (a "
            "letter or _, then letters, digits or _)");
  auto any_byte = alertmanager_config(
      rules_of("racine-kubernetes: 1\nrules:\n  - labels: ['x=~\"a\\\\Cb\"']\n    activity: x\n"),
      m, {});
  ASSERT_FALSE(any_byte.ok());
  EXPECT_EQ(any_byte.error().message,
            "rule 'rule 1' cannot be written as an Alertmanager route that matches what it "
            "matches: the expression 'a\\Cb' uses \\C (any byte), which Alertmanager's regular "
            "expressions (Go's) do not have");
  auto reversed = alertmanager_config(
      rules_of("racine-kubernetes: 1\nrules:\n  - name: r\n    namespace: ['ok', '[z-a]']\n"
               "    activity: x\n"),
      m, {});
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.error().message,
            "rule 'r' cannot be written as an Alertmanager route that matches what it matches: "
            "namespace glob '[z-a]': the range z-a has its ends reversed: fnmatch matches "
            "nothing with it, a regular expression refuses it");
}

// Values and names from the rules and the matrix stay data: quoted for Alertmanager's
// matcher syntax, then for YAML; comments stay on their line.
TEST(AlertmanagerExport, TextFromTheRulesAndTheMatrixIsQuoted) {
  Matrix m = one_party();
  m.title = "Solo\nroute:\n  receiver: evil";
  m.parties.front().id = "no";  // YAML 1.1 would read it as false
  m.parties.front().name = "Ops\u2028receivers: []";
  auto yaml = alertmanager_config(
      rules_of("racine-kubernetes: 1\nrules:\n  - name: \"quote'\\nline\"\n"
               "    labels: ['msg=\"it''s \\\"x\\\"\"', \"ctl=\\\"a\\tb\\\"\"]\n"
               "    activity: missing\n"),
      m, {"no", 60000, {}});
  ASSERT_TRUE(yaml.ok()) << yaml.error().message;
  EXPECT_NE(yaml->find("# Alertmanager routing of the matrix solo: Solo\\nroute:\\n  receiver: "
                       "evil\n# Contract options: none. The client's party: no; the provider's "
                       "(the gray zone): none.\n"),
            std::string::npos)
      << *yaml;
  EXPECT_NE(yaml->find("    # rule quote'\\nline: its activity 'missing' is not in the matrix: "
                       "the gray zone, as in racine\n"
                       "    - matchers:\n"
                       "        - 'msg=\"it''s \\\"x\\\"\"'\n"
                       "        - \"ctl=\\\"a\\x09b\\\"\"\n"
                       "      receiver: '(nobody)'  # the gray zone, and no provider's party\n"),
            std::string::npos)
      << *yaml;
  EXPECT_NE(yaml->find("  - name: 'no'  # Ops\\u2028receivers: []\n"), std::string::npos) << *yaml;
}

}  // namespace racine::route
