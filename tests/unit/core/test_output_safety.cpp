// Output safety in the library: the one escaping function of every text printer, the
// atomic file writer, and the XLSX sheet names.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "../test_support.h"
#include "core/atomic_file.h"
#include "core/escape.h"
#include "reports/xlsx_writer.h"

namespace racine {

namespace fs = std::filesystem;

namespace {

class Folder {
 public:
  Folder() {
    std::random_device rd;
    m_path = fs::temp_directory_path() /
             ("racine-unit-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(m_path);
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  [[nodiscard]] const fs::path& path() const { return m_path; }
  [[nodiscard]] std::size_t entries() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(m_path), fs::directory_iterator()));
  }

 private:
  fs::path m_path;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(EscapeControls, ControlCharactersBecomeVisibleEscapes) {
  EXPECT_EQ(text::escape_controls("Ops\n::error file=README.md::forged"),
            "Ops\\n::error file=README.md::forged");
  EXPECT_EQ(text::escape_controls("a\rb\tc"), "a\\rb\\tc");
  EXPECT_EQ(text::escape_controls("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(text::escape_controls(std::string_view("\x00\x07\x7f", 3)), "\\x00\\x07\\x7f");
  // C1 controls (CSI U+009B), line separators, bidirectional overrides.
  EXPECT_EQ(text::escape_controls("a\xC2\x9B"
                                  "2Jb"),
            "a\\u009b2Jb");
  EXPECT_EQ(text::escape_controls("x\xE2\x80\xA8y\xE2\x80\xAEz\xE2\x81\xA6"),
            "x\\u2028y\\u202ez\\u2066");
  // Bytes that are no UTF-8.
  EXPECT_EQ(text::escape_controls("ab\xFF"
                                  "c\xC3"),
            "ab\\xffc\\xc3");
}

TEST(EscapeControls, EverythingElseIsKept) {
  EXPECT_EQ(text::escape_controls("Rôle Cœur’s — 東京 ✓ \\n"), "Rôle Cœur’s — 東京 ✓ \\n");
  EXPECT_EQ(text::escape_controls(""), "");
}

TEST(EscapeControls, ValidUtf8ReplacesStrayBytes) {
  EXPECT_EQ(text::valid_utf8("a\xFF"
                             "b\xC3"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(text::valid_utf8("Rôle\n"), "Rôle\n");
}

TEST(AtomicFile, WritesANewFileWithTheUmaskAndNoTemporaryLeft) {
  Folder d;
  const fs::path p = d.path() / "new.json";
  const mode_t mask = umask(022);
  ASSERT_FALSE(write_file_atomic(p.string(), "{}\n").has_value());
  umask(mask);
  EXPECT_EQ(slurp(p), "{}\n");
  EXPECT_EQ(fs::status(p).permissions() & fs::perms::all, fs::perms(0644));
  EXPECT_EQ(d.entries(), 1U);
}

TEST(AtomicFile, ReplacesAFileKeepingItsMode) {
  Folder d;
  const fs::path p = d.path() / "m.md";
  std::ofstream(p) << "old and longer";
  fs::permissions(p, fs::perms(0604));
  ASSERT_FALSE(write_file_atomic(p.string(), "new").has_value());
  EXPECT_EQ(slurp(p), "new");
  EXPECT_EQ(fs::status(p).permissions() & fs::perms::all, fs::perms(0604));
  EXPECT_EQ(d.entries(), 1U);
}

TEST(AtomicFile, WritesTheFileALinkNamesAndKeepsTheLink) {
  Folder d;
  fs::create_directories(d.path() / "a" / "b");
  const fs::path real = d.path() / "a" / "b" / "real.md";
  std::ofstream(real) << "old";
  fs::create_symlink("b/real.md", d.path() / "a" / "hop.md");
  fs::create_symlink("a/hop.md", d.path() / "link.md");  // a chain of two links
  ASSERT_FALSE(write_file_atomic((d.path() / "link.md").string(), "new").has_value());
  EXPECT_TRUE(fs::is_symlink(d.path() / "link.md"));
  EXPECT_TRUE(fs::is_symlink(d.path() / "a" / "hop.md"));
  EXPECT_EQ(slurp(real), "new");
  // A dangling link: the file it names is created.
  fs::create_symlink("made.md", d.path() / "dangling.md");
  ASSERT_FALSE(write_file_atomic((d.path() / "dangling.md").string(), "made").has_value());
  EXPECT_TRUE(fs::is_symlink(d.path() / "dangling.md"));
  EXPECT_EQ(slurp(d.path() / "made.md"), "made");
  // A cycle is refused.
  fs::create_symlink("loop2", d.path() / "loop1");
  fs::create_symlink("loop1", d.path() / "loop2");
  const auto e = write_file_atomic((d.path() / "loop1").string(), "x");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->to_string(), (d.path() / "loop1").string() +
                                ": cannot be written: Too many levels of symbolic links");
}

TEST(AtomicFile, FailuresLeaveTheTargetAndNoTemporary) {
  Folder d;
  const auto dir = write_file_atomic(d.path().string(), "x");
  ASSERT_TRUE(dir.has_value());
  EXPECT_EQ(dir->message, "cannot be written: Is a directory");
  const auto missing = write_file_atomic((d.path() / "no" / "x").string(), "x");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->message, "cannot be written: No such file or directory");
  const auto full = write_file_atomic("/dev/full", "x");
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->to_string(), "/dev/full: cannot be written: No space left on device");
  EXPECT_FALSE(write_file_atomic("/dev/null", "x").has_value());
  EXPECT_EQ(d.entries(), 0U);
}

TEST(XlsxSheetNames, DerivedFromThePartiesValidAndUnique) {
  auto m = test::read_md(
      "| Activity | 'Ops' | History | a/b [c]: *d? | ops | '' | A name far longer than thirty-one "
      "characters |\n"
      "|---|---|---|---|---|---|---|\n| Do | R | A | C | I | I | I |\n");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(reports::xlsx_sheet_names(*m),
            (std::vector<std::string>{"Matrix", "Ops", "Party", "ab c d", "ops 2", "Party 2",
                                      "A name far longer than thirt", "Summary", "Findings"}));
  // In French; a party named like a sheet of the workbook gets the next free name.
  auto fr = test::read_md(
      "| Activité | Constats | synthèse | Matrice |\n|---|---|---|---|\n| Faire | R | A | C |\n");
  ASSERT_TRUE(fr.ok()) << fr.error().to_string();
  EXPECT_EQ(reports::xlsx_sheet_names(*fr, reports::Lang::fr),
            (std::vector<std::string>{"Matrice", "Constats 2", "synthèse 2", "Matrice 2",
                                      "Synthèse", "Constats"}));
  // A workbook is written for them.
  const auto bytes = reports::write_xlsx(*m);
  ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
  EXPECT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));
}

// The matrix's title heads every printed page: a long title, wide characters or `&`
// (a code in a page header) still give a workbook.
TEST(XlsxWriter, AnyTitleFitsThePageHeader) {
  std::string wide;
  for (int i = 0; i < 150; ++i) wide += "日&";
  for (const std::string& title : {wide, std::string(400, '&'), std::string(300, 'x')}) {
    auto m = test::read_md("---\ntitle: \"" + title +
                           "\"\n---\n| Activity | A |\n|---|---|\n| Do | RA |\n");
    ASSERT_TRUE(m.ok()) << m.error().to_string();
    ASSERT_EQ(m->title, title);
    const auto bytes = reports::write_xlsx(*m);
    EXPECT_TRUE(bytes.ok()) << bytes.error().to_string();
  }
}

TEST(XlsxWriter, RefusesWhatACellCannotHold) {
  auto m = test::read_md("| Activity | A |\n|---|---|\n| " + std::string(32767, 'y') +
                         " | R |\n| " + std::string(32768, 'z') + " | A |\n");
  ASSERT_TRUE(m.ok());
  const auto bytes = reports::write_xlsx(*m);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().to_string(),
            "t.md:4:1: activity title of 32768 characters does not fit an XLSX cell (cell B3 of "
            "sheet 'Matrix'): a "
            "cell holds at most 32767");
}

}  // namespace racine
