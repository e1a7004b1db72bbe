// core/token_bucket.h: the rate limits and quotas of the server share these buckets.
#include <gtest/gtest.h>

#include "core/token_bucket.h"

namespace racine {
namespace {

TEST(TokenBuckets, TakeWholeOrNothingAndSayHowLongToWait) {
  TokenBuckets b(2, 4);  // 2 a second, burst 4
  EXPECT_EQ(b.take("a", 3, 100.0), 0);
  EXPECT_EQ(b.take("a", 3, 100.0), 1);   // 1 left: 2 more come in a second
  EXPECT_EQ(b.take("a", 1, 100.0), 0);   // the refusal took nothing
  EXPECT_EQ(b.take("b", 4, 100.0), 0);   // another key, its own bucket
  EXPECT_EQ(b.take("a", 4, 101.0), 1);   // 2 after a second: 4 needs one more
  EXPECT_EQ(b.take("a", 4, 102.0), 0);   // never more than the burst, but 4 after 2 s
  EXPECT_EQ(b.take("a", 10, 500.0), 3);  // more than the burst: past it, said as a wait
}

TEST(TokenBuckets, ManyKeysAreForgottenNotKept) {
  TokenBuckets b(1, 1, 3);
  for (const char* k : {"a", "b", "c"}) EXPECT_EQ(b.take(k, 1, 0.0), 0);
  EXPECT_EQ(b.take("a", 1, 0.0), 1);
  EXPECT_EQ(b.take("d", 1, 0.0), 0);  // a fourth key: the three are forgotten (full again)
  EXPECT_EQ(b.take("a", 1, 0.0), 0);
}

}  // namespace
}  // namespace racine
