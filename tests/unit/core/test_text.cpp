#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/text.h"

namespace racine::text {

TEST(Text, FoldRemovesCaseAccentsAndLigatures) {
  EXPECT_EQ(fold("Rôle Cœur’s ÉTÉ"), "role coeur's ete");
  EXPECT_EQ(fold("Aktivität Größe"), "aktivitat grosse");
}

TEST(Text, SlugifyMakesStableIds) {
  EXPECT_EQ(slugify("Cloud Temple"), "cloud-temple");
  EXPECT_EQ(slugify("  Définir l'architecture (globale) "), "definir-l-architecture-globale");
  EXPECT_EQ(slugify("***"), "");
}

TEST(Text, FindsInvalidUtf8AndNul) {
  EXPECT_FALSE(find_invalid_utf8("héllo").has_value());
  EXPECT_EQ(find_invalid_utf8("ab\xC3").value(), 2U);
  EXPECT_EQ(find_invalid_utf8("ab\xFFxy").value(), 2U);
  // Past the eight-byte ASCII steps: NUL and stray bytes found at their offset.
  EXPECT_EQ(find_invalid_utf8(std::string("abcdefghij") + std::string(1, '\0') + "k").value(), 10U);
  EXPECT_EQ(find_invalid_utf8("abcdefghijklmnopq\xC3").value(), 17U);
  EXPECT_FALSE(find_invalid_utf8(std::string("abcdefghij") + std::string(1, '\0') + "k", true));
  EXPECT_FALSE(find_invalid_utf8("abcdefghijklmnopé").has_value());
  EXPECT_EQ(find_invalid_utf8(std::string_view("a\0b", 3)).value(), 1U);
}

TEST(Text, CountsCodepoints) {
  EXPECT_EQ(codepoints("é|a"), 3U);
  EXPECT_EQ(codepoints(""), 0U);
}

TEST(Text, EditDistanceCountsTranspositionsOnce) {
  EXPECT_EQ(edit_distance("cloudtemple", "cloudtempel"), 1U);
  EXPECT_EQ(edit_distance("kunde", "kunden"), 1U);
  EXPECT_EQ(edit_distance("pm", "dev"), 3U);
}

TEST(Text, BoundedEditDistanceAgreesWithTheFullOneWithinItsLimit) {
  const std::vector<std::string> words = {
      "",       "a",           "ab",          "ba",          "kunde",
      "kunden", "cloudtemple", "cloudtempel", "cloudtmeple", "clodtemple",
      "xyz",    "abcdef",      "badcfe"};
  for (const auto& a : words) {
    for (const auto& b : words) {
      for (std::size_t limit = 0; limit <= 3; ++limit) {
        EXPECT_EQ(edit_distance_within(a, b, limit), std::min(edit_distance(a, b), limit + 1))
            << a << " / " << b << " within " << limit;
      }
    }
  }
  // Two 1 MB strings: only a band of the table is computed.
  const std::string big(1 << 20, 'a');
  EXPECT_EQ(edit_distance_within(big, big + "bc", 2), 2U);
  EXPECT_EQ(edit_distance_within(big + "x", "y" + big, 2), 2U);
  EXPECT_EQ(edit_distance_within(big, std::string(1 << 20, 'b'), 2), 3U);
  EXPECT_EQ(edit_distance_within(big, big + "abc", 2), 3U);
}

TEST(Text, TrimAndCollapse) {
  EXPECT_EQ(trim("\xC2\xA0 a b \t"), "a b");
  EXPECT_EQ(collapse_spaces("  a \n\t b  "), "a b");
}

}  // namespace racine::text
