#include <gtest/gtest.h>

#include "formats/pipe_row.h"

namespace racine {

TEST(PipeRow, SplitsLikeGfm) {
  EXPECT_EQ(count_pipe_cells("| a | b |"), 2U);
  EXPECT_EQ(count_pipe_cells("a | b"), 2U);
  EXPECT_EQ(count_pipe_cells("| a \\| b | c |"), 2U);
  EXPECT_EQ(count_pipe_cells("| `p|q` | c |"), 3U);  // GFM: code spans do not protect pipes
  EXPECT_EQ(count_pipe_cells("| a | b \\|"), 2U);
  EXPECT_EQ(count_pipe_cells("plain text"), 1U);
  EXPECT_EQ(count_pipe_cells("   "), 0U);
}

TEST(PipeRow, RangesIncludePadding) {
  const auto r = split_pipe_row("| ab | c |");
  ASSERT_EQ(r.size(), 2U);
  EXPECT_EQ(r[0].begin, 1U);
  EXPECT_EQ(r[0].end, 5U);
  EXPECT_EQ(r[1].begin, 6U);
}

TEST(PipeRow, DelimiterRows) {
  EXPECT_TRUE(is_delimiter_row("|-|-|"));
  EXPECT_TRUE(is_delimiter_row("| --- | :---: |"));
  EXPECT_TRUE(is_delimiter_row("---|---"));
  EXPECT_FALSE(is_delimiter_row("| a | --- |"));
  EXPECT_FALSE(is_delimiter_row("| | --- |"));
  EXPECT_FALSE(is_delimiter_row(""));
}

}  // namespace racine
