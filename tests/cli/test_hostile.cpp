// Hostile input: every case ends with a clear message naming the path (and the line
// where there is one) and exit status 2, or a normal result; never a crash or a hang.

#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_test_support.h"
#include "hostile_inputs.h"

namespace racine::test {

namespace {
void expect_refused(const Outcome& r, const std::string& err) {
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.out.find("checked"), std::string::npos);
  EXPECT_EQ(r.err, err);
}
}  // namespace

TEST(Hostile, EmptyFile) {
  TempDir d;
  const auto p = d.write("empty.md", "");
  expect_refused(racine({"lint", p}),
                 "racine: " + p + ": no RACI table found: the document has no table\n");
}

TEST(Hostile, ProseWithoutTable) {
  TempDir d;
  const auto p = d.write("prose.md", "# Title\n\nJust words | and a pipe.\n");
  expect_refused(racine({"lint", p}),
                 "racine: " + p + ": no RACI table found: the document has no table\n");
}

TEST(Hostile, InvalidUtf8) {
  TempDir d;
  const auto p = d.write("bad.md", "| T | A |\n|-|-|\n| x\xC3\x28 | RA |\n");
  expect_refused(racine({"lint", p}),
                 p + ":3:4: error: invalid UTF-8 (byte 0xC3): racine reads UTF-8 text\n");
}

TEST(Hostile, BinaryWithNul) {
  TempDir d;
  const auto p = d.write("bin.md", std::string("\x7f"
                                               "ELF\x02\x01\x01\0\0\0",
                                               10));
  expect_refused(racine({"lint", p}),
                 p + ":1:8: error: binary input (NUL byte): racine reads UTF-8 text\n");
}

TEST(Hostile, TenThousandColumns) {
  TempDir d;
  std::string h = "|";
  std::string s = "|";
  std::string r = "|";
  for (int i = 0; i < 10000; ++i) {
    h += " P" + std::to_string(i) + " |";
    s += "---|";
    r += " RA |";
  }
  const auto p = d.write("wide.md", h + "\n" + s + "\n" + r + "\n");
  expect_refused(racine({"lint", p}),
                 p + ":1:1: error: table has 10000 columns, above the limit of 256 (raise "
                     "limits.max-columns in .racine.yaml to read it)\n");
}

TEST(Hostile, PaddingBomb) {
  TempDir d;
  const auto p = d.write("pad.md", padding_bomb());
  const Outcome r = racine({"lint", p});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(p + ":1:1: error: tables up to here have "), std::string::npos) << r.err;
}

TEST(Hostile, OneMegabyteLines) {
  TempDir d;
  // A valid table whose title cell is 1 MB: a normal result.
  const auto big = d.write(
      "big-title.md", "| T | A | B |\n|-|-|-|\n| " + std::string(1 << 20, 'x') + " | RA | C |\n");
  const Outcome ok = racine({"lint", big});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(ok.out, "1 file checked: 0 errors, 0 warnings, 0 infos\n");
  // A 1 MB line of Markdown punctuation and no table: refused, quickly.
  std::string noise;
  for (int i = 0; i < (1 << 18); ++i) noise += "*_[`";
  const auto p = d.write("noise.md", noise + "\n");
  expect_refused(racine({"lint", p}),
                 "racine: " + p + ": no RACI table found: the document has no table\n");
}

TEST(Hostile, HugeHtmlComments) {
  TempDir d;
  // A 1 MB suppression comment inside a cell and a 1 MB comment block: read normally.
  const std::string codes(1 << 20, 'x');
  const auto p =
      d.write("comments.md", "<!-- " + codes +
                                 " -->\n\n| T | A | B |\n|-|-|-|\n| x <!-- racine-disable-line " +
                                 codes + " --> | RA | C |\n");
  const Outcome r = racine({"lint", "--format", "json", p});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"RAC901\""), std::string::npos);
}

TEST(Hostile, UnterminatedFrontMatter) {
  TempDir d;
  const auto p = d.write("fm.md", "---\ntitle: x\n\n| T | A |\n|-|-|\n| x | RA |\n");
  expect_refused(racine({"lint", p}),
                 p + ":1:1: error: unterminated front matter: no closing '---' line\n");
}

TEST(Hostile, MissingPathAndDirectory) {
  TempDir d;
  const auto missing = (d.path() / "nope.md").string();
  expect_refused(racine({"lint", missing}), "racine: " + missing + ": no such file\n");
  expect_refused(racine({"lint", d.path().string()}),
                 "racine: " + d.path().string() + ": is a directory, not a file\n");
  expect_refused(racine({"export", "--format", "json", missing}),
                 "racine: " + missing + ": no such file\n");
}

TEST(Hostile, HundredMegabyteMatrix) {
  TempDir d;
  const auto p = (d.path() / "huge.md").string();
  {
    std::ofstream out(p, std::ios::binary);
    out << "| Task | A | B | C | D |\n|---|---|---|---|---|\n";
    const std::string row = "| Activity number with a reasonably long title | RA | C | I | - |\n";
    for (std::size_t n = 0; n * row.size() < 100U * 1000 * 1000; ++n) out << row;
  }
  const Outcome r = racine({"lint", p});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "racine: " + p +
                       ": input is 95.4 MiB, above the limit of 64.0 MiB (raise "
                       "limits.max-bytes in .racine.yaml to read it)\n");
  // The same through standard input is refused without reading it all.
  const Outcome s = racine({"lint", "-"}, std::string(70U << 20, 'a'));
  EXPECT_EQ(s.status, 2);
  EXPECT_NE(s.err.find("racine: <stdin>: input is "), std::string::npos);
}

TEST(Hostile, TableInABlockQuoteBetweenRaciTables) {
  // Issue 11: the second table's rows vanished behind the quoted table.
  TempDir d;
  const auto p = d.write("quote.md", quote_between_tables());
  const Outcome r = racine({"export", "--format", "csv", p});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "\xEF\xBB\xBFsection,id,title,Dev,Ops,QA,Sec\r\n"
            "Build,compile,Compile,RA,C,,\r\n"
            "Build,package,Package,R,A,,\r\n"
            "Run,test,Test,,,RA,I\r\n"
            "Run,audit,Audit,,,C,RA\r\n"
            "Run,patch,Patch,,,I,RA\r\n");
}

TEST(Hostile, PaddingBombInABlockQuoteOrAListItem) {
  TempDir d;
  for (const auto& [name, doc] :
       {std::pair<std::string, std::string>{"quoted.md", quoted_padding_bomb()},
        {"listed.md", listed_padding_bomb()}}) {
    const auto p = d.write(name, doc);
    expect_refused(
        racine({"lint", p}),
        p + ":1:1: error: tables up to here have 5080000 missing cells that the parser would "
            "pad, above the limit of 200000 (raise limits.max-padding-cells in "
            ".racine.yaml to read it)\n");
  }
}

TEST(Hostile, LongPartyNames) {
  TempDir d;
  const auto p = d.write("long.md", long_party_names());
  const Outcome r = racine({"lint", p});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "1 file checked: 0 errors, 0 warnings, 0 infos\n");
}

TEST(Hostile, HugeFrontMatter) {
  TempDir d;
  const auto p = d.write("fm.md", front_matter_bomb(16U << 20));
  expect_refused(
      racine({"lint", p}),
      p + ":1347:1: error: front matter is longer than 16 KiB at this line: it holds a few "
          "lines of metadata (title, lang, id); close it with '---'\n");
}

TEST(Hostile, DenseJsonAndYaml) {
  // 16 MB of values 2 or 4 bytes apart (2.4 GB and 1.2 GB of memory before).
  TempDir d;
  const auto json = d.write("dense.json", json_bomb(16U << 20));
  expect_refused(racine({"lint", json}),
                 json +
                     ":1:2097153: error: more than 1048576 values in flow collections ('[...]', "
                     "'{...}'), above the limit of one per 64 bytes of limits.max-bytes (raise it "
                     "in .racine.yaml "
                     "to read this)\n");
  // The YAML with max-bytes at 1 MiB (yaml-cpp reads such YAML at about 1 MB/s): the
  // limit is then 65,536 values.
  const auto config = d.write("small.yaml", "limits:\n  max-bytes: 1048576\n");
  const auto yaml = d.write("dense.yaml", yaml_bomb(1U << 20));
  expect_refused(
      racine({"lint", "--config", config, yaml}),
      yaml +
          ":65536:3: error: more than 65536 values in one document, above the limit of "
          "one per 16 bytes of limits.max-bytes (raise it in .racine.yaml to read this)\n");
}

}  // namespace racine::test
