#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "../test_support.h"
#include "compare/i18n.h"
#include "formats/loader.h"
#include "k8s/rules.h"
#include "lint/linter.h"
#include "lint/rule.h"
#include "reports/controls.h"

namespace racine::lint {

class RuleExamples : public ::testing::TestWithParam<const Rule*> {};

namespace {
// Translation rules: the example holds the source, the separator line, the translation.
std::vector<std::string> compare_md(std::string_view doc) {
  const auto cut = doc.find(compare::k_translation_separator);
  EXPECT_NE(cut, std::string_view::npos) << doc;
  auto source = test::read_md(std::string(doc.substr(0, cut)));
  auto translation =
      test::read_md(std::string(doc.substr(cut + compare::k_translation_separator.size())));
  if (!source || !translation) return {"ERROR: unreadable example"};
  std::vector<std::string> out;
  for (const auto& d :
       finish(*translation, compare::compare_translation(*source, *translation), {})) {
    out.push_back(d.code + "@" + std::to_string(translation->source->position(d.span.begin).line));
  }
  return out;
}

// Kubernetes rules: the example is a rules file for the built-in matrix.
std::vector<std::string> check_k8s(std::string_view doc) {
  auto src = load_text(std::string(doc), "rules.k8s.yaml", Limits{});
  auto rules = src ? k8s::parse_rules(*src) : Result<k8s::RuleSet>(src.error());
  if (!rules) return {"ERROR: " + rules.error().to_string()};
  auto seed = read_markdown(builtin_matrix(), ReadOptions{});
  std::vector<std::string> out;
  for (const auto& d : k8s::check_rules(*rules, *seed)) {
    out.push_back(d.code + "@" + std::to_string(rules->source->position(d.span.begin).line));
  }
  return out;
}

// Control mappings: the example is a mapping for the built-in matrix.
std::vector<std::string> check_control_mapping(std::string_view doc) {
  auto src = load_text(std::string(doc), "map.controls.yaml", Limits{});
  auto c = src ? reports::parse_controls(*src) : Result<reports::ControlMappings>(src.error());
  if (!c) return {"ERROR: " + c.error().to_string()};
  auto seed = read_markdown(builtin_matrix(), ReadOptions{});
  std::vector<std::string> out;
  for (const auto& d : reports::check_controls(*c, *seed)) {
    out.push_back(d.code + "@" + std::to_string(c->source->position(d.span.begin).line));
  }
  return out;
}

std::vector<std::string> findings_of(const Rule& rule, std::string_view doc) {
  if (rule.translation) return compare_md(doc);
  if (rule.kubernetes) return check_k8s(doc);
  if (rule.controls) return check_control_mapping(doc);
  return test::lint_md(std::string(doc));
}

bool fires(const Rule& rule, std::string_view doc) {
  for (const auto& f : findings_of(rule, doc)) {
    if (f.rfind(std::string(rule.code) + "@", 0) == 0) return true;
    EXPECT_EQ(f.rfind("ERROR", 0), std::string::npos) << f;
  }
  return false;
}
std::vector<const Rule*> rule_ptrs() {
  std::vector<const Rule*> out;
  for (const auto& r : all_rules()) out.push_back(&r);
  return out;
}
}  // namespace

TEST_P(RuleExamples, BadExampleFiresAndGoodExampleDoesNot) {
  const Rule& rule = *GetParam();
  EXPECT_TRUE(fires(rule, rule.bad_example)) << rule.code << " bad example:\n" << rule.bad_example;
  EXPECT_FALSE(fires(rule, rule.good_example)) << rule.code << " good example:\n"
                                               << rule.good_example;
  // The good example is clean of every error, so it can be copied as is.
  for (const auto& f : findings_of(rule, rule.good_example)) {
    const Rule* other = find_rule(f.substr(0, f.find('@')));
    ASSERT_NE(other, nullptr) << f;
    EXPECT_NE(other->severity, Severity::error) << rule.code << " good example has " << f;
  }
}

INSTANTIATE_TEST_SUITE_P(Catalog, RuleExamples, ::testing::ValuesIn(rule_ptrs()),
                         [](const auto& p) { return std::string(p.param->code); });

TEST(Catalog, CodesAreUniqueOrderedAndDocumented) {
  std::set<std::string_view> codes;
  std::string_view prev;
  for (const auto& r : all_rules()) {
    EXPECT_TRUE(codes.insert(r.code).second) << r.code;
    EXPECT_LT(prev, r.code);
    prev = r.code;
    const std::string page(rule_page(r.code));
    EXPECT_EQ(page.rfind("# " + std::string(r.code), 0), 0U)
        << r.code << " page must start with its code";
    EXPECT_NE(page.find("## Bad"), std::string::npos) << r.code;
    EXPECT_NE(page.find("## Good"), std::string::npos) << r.code;
    // The page shows the same examples as the declaration.
    EXPECT_NE(page.find(std::string(r.bad_example)), std::string::npos)
        << r.code << " bad example differs";
    EXPECT_NE(page.find(std::string(r.good_example)), std::string::npos)
        << r.code << " good example differs";
    // The page in the source tree is the one compiled in.
    std::ifstream in(std::string(RACINE_SOURCE_DIR) + "/docs/rules/" + std::string(r.code) + ".md");
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str(), page) << r.code;
  }
  EXPECT_EQ(codes.size(), 24U);
}

TEST(Catalog, EveryPageHasARule) {
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(RACINE_SOURCE_DIR) + "/docs/rules")) {
    const std::string stem = e.path().stem().string();
    if (stem.rfind("RAC", 0) == 0) {
      EXPECT_NE(find_rule(stem), nullptr) << stem;
    }
  }
}

}  // namespace racine::lint
