#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"

namespace racine::config {

TEST(Config, ParsesEverySetting) {
  auto c = parse_config(
      "disable: [RAC204]\nseverity:\n  RAC202: warning\nlimits:\n  max-bytes: 1000\n  max-columns: "
      "12\n"
      "  max-padding-cells: 5\nparties:\n  aliases:\n    - [Ops, Operations]\nsarif:\n  "
      "help-uri-base: https://x/\n",
      "c.yaml");
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->disabled.count("RAC204"), 1U);
  EXPECT_EQ(c->severity_of("RAC202", Severity::error), Severity::warning);
  EXPECT_FALSE(c->severity_of("RAC204", Severity::info).has_value());
  EXPECT_EQ(c->limits.max_bytes, 1000U);
  EXPECT_EQ(c->limits.max_columns, 12U);
  EXPECT_EQ(c->limits.max_padding_cells, 5U);
  EXPECT_EQ(c->aliases.groups.back(), (std::vector<std::string>{"Ops", "Operations"}));
  EXPECT_EQ(c->help_uri_base, "https://x/");
}

TEST(Config, ErrorsHaveLineAndColumn) {
  EXPECT_EQ(parse_config("disable: [RAC999]\n", "c.yaml").error().to_string(),
            "c.yaml:1:11: unknown rule code 'RAC999' (racine rules lists them)");
  EXPECT_EQ(parse_config("severity:\n  RAC202: loud\n", "c.yaml").error().to_string(),
            "c.yaml:2:11: severity must be error, warning or info");
  EXPECT_EQ(parse_config("colour: yes\n", "c.yaml").error().to_string(),
            "c.yaml:1:1: unknown key 'colour' (disable, severity, limits, parties, sarif)");
  EXPECT_EQ(parse_config("limits:\n  max-bytes: -3\n", "c.yaml").error().to_string(),
            "c.yaml:2:14: 'max-bytes' must be a positive integer");
  EXPECT_EQ(parse_config("disable: [\n", "c.yaml").error().line, 2U);
  // The sections that hold one key each: their shape and their one key.
  EXPECT_EQ(parse_config("parties: [Ops]\n", "c.yaml").error().to_string(),
            "c.yaml:1:10: 'parties' must be a mapping");
  EXPECT_EQ(parse_config("parties:\n  alias: []\n", "c.yaml").error().to_string(),
            "c.yaml:2:3: unknown key 'parties.alias' (aliases)");
  EXPECT_EQ(parse_config("parties:\n  aliases: Ops\n", "c.yaml").error().to_string(),
            "c.yaml:2:12: 'parties.aliases' must be a list of lists of names");
  EXPECT_EQ(parse_config("sarif:\n  help-uri: x\n", "c.yaml").error().to_string(),
            "c.yaml:2:3: unknown key 'sarif.help-uri' (help-uri-base)");
  EXPECT_EQ(parse_config("sarif: x\n", "c.yaml").error().to_string(),
            "c.yaml:1:8: 'sarif' must be a mapping");
  const auto empty = parse_config("parties: {}\nsarif: {}\n", "c.yaml");
  ASSERT_TRUE(empty.ok()) << empty.error().to_string();
  EXPECT_EQ(empty->aliases.groups.size(), parse_config("", "c.yaml")->aliases.groups.size());
}

TEST(Config, FoundUpwardFromTheFile) {
  const auto root = std::filesystem::temp_directory_path() / "racine-config-test";
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "a" / "b");
  std::ofstream(root / ".racine.yaml") << "disable: [RAC204]\n";
  const auto found = find_config(root / "a" / "b");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, root / ".racine.yaml");
  std::filesystem::remove_all(root);
}

}  // namespace racine::config
