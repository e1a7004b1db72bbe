#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "formats/loader.h"

namespace racine {

TEST(Loader, InvalidUtf8HasAPosition) {
  auto r = load_text("ok\nab\xFF\n", "x.md", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().to_string(), "x.md:2:3: invalid UTF-8 (byte 0xFF): racine reads UTF-8 text");
}

TEST(Loader, NulByteIsBinary) {
  auto r = load_text(std::string("| a |\0", 6), "x.md", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().to_string(), "x.md:1:6: binary input (NUL byte): racine reads UTF-8 text");
}

TEST(Loader, SizeLimit) {
  Limits l;
  l.max_bytes = 10;
  auto r = load_text(std::string(11, 'a'), "x.md", l);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("above the limit of 10 bytes"), std::string::npos);
  std::istringstream in(std::string(100, 'a'));
  EXPECT_FALSE(load_stream(in, "<stdin>", l).ok());
}

TEST(Loader, MissingPathAndDirectory) {
  EXPECT_EQ(load_file("/nonexistent/x.md", {}).error().to_string(),
            "/nonexistent/x.md: no such file");
  const auto dir = std::filesystem::temp_directory_path();
  EXPECT_EQ(load_file(dir.string(), {}).error().message, "is a directory, not a file");
}

TEST(Loader, LineEndingsAsInCommonMark) {
  const SourceFile f("x.md", "a\r\nb\rc\nd");
  EXPECT_EQ(f.line_count(), 4U);
  EXPECT_EQ(f.line(1), "a");
  EXPECT_EQ(f.line(2), "b");
  EXPECT_EQ(f.line(3), "c");
  EXPECT_EQ(f.line(4), "d");
  EXPECT_EQ(f.position(7).line, 4U);
}

TEST(Loader, BomIsDropped) {
  auto r = load_text("\xEF\xBB\xBFhi", "x.md", {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->text(), "hi");
}

TEST(Loader, BuiltinIsTheSeed) {
  const auto s = builtin_matrix();
  EXPECT_EQ(s->path(), "<builtin:managed-kubernetes>");
  EXPECT_EQ(s->line(2), "title: Matrice de Responsabilités (RACI) - Managed Kubernetes");
}

}  // namespace racine
