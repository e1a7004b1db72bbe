// The writers never change the matrix they write: Markdown, YAML, JSON and CSV read back
// as what each format promises (fuzz/roundtrip.h, docs/formats.md). The examples of
// issue 11 (items 4 and 8) and the fuzzer's findings.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "../../../fuzz/roundtrip.h"
#include "../test_support.h"
#include "formats/csv.h"
#include "formats/json_writer.h"
#include "formats/markdown_format.h"
#include "formats/markdown_writer.h"
#include "formats/yaml_writer.h"

namespace racine {

namespace {

// Two parties, one section, one activity per title (Client RA, Provider I).
Matrix matrix_of(const std::vector<std::string>& titles, const std::string& title = "Matrix") {
  Matrix m;
  m.id = "m";
  m.title = title;
  for (const char* name : {"Client", "Provider"})
    m.parties.push_back({text::slugify(name), name, {}});
  Section s;
  s.title = "Section";
  for (std::size_t i = 0; i < titles.size(); ++i) {
    Activity a;
    a.title = titles[i];
    a.id = "a" + std::to_string(i + 1);
    a.title_markers = find_markers(a.title);
    a.cells.resize(2);
    for (std::size_t p = 0; p < 2; ++p) {
      a.cells[p].present = true;
      a.cells[p].text = p == 0 ? "RA" : "I";
      a.cells[p].roles = RoleSet::from_letters(a.cells[p].text);
    }
    s.activities.push_back(std::move(a));
  }
  m.sections.push_back(std::move(s));
  return m;
}

Result<Matrix> read_back(const Matrix& m, Format f) {
  auto src = load_text(write_document(m, f), "back", Limits{});
  if (!src) return src.error();
  return read_document(*src, f, ReadOptions{});
}

const std::vector<Format> k_formats = {Format::markdown, Format::yaml, Format::json, Format::csv};

}  // namespace

TEST(MarkdownText, EscapesWhatWouldBecomeMarkup) {
  EXPECT_EQ(markdown_text("Plain title (RACI) - v2"), "Plain title (RACI) - v2");
  EXPECT_EQ(markdown_text("opérateurs*"), "opérateurs*");  // one star is no emphasis
  EXPECT_EQ(markdown_text("*a* **b**"), "\\*a\\* \\*\\*b\\*\\*");
  EXPECT_EQ(markdown_text("two\nlines\r\n\tand  tabs "), "two lines and tabs");
  EXPECT_EQ(markdown_text("<!-- racine-disable-next-line RAC202 -->"),
            "\\<!-- racine-disable-next-line RAC202 -->");
  EXPECT_EQ(markdown_text("# title"), "\\# title");
  EXPECT_EQ(markdown_text("C# and F #"), "C# and F \\#");
  EXPECT_EQ(markdown_text("> quote"), "\\> quote");
  EXPECT_EQ(markdown_text("- item"), "\\- item");
  EXPECT_EQ(markdown_text("+ item"), "\\+ item");
  EXPECT_EQ(markdown_text("1. item"), "1\\. item");
  EXPECT_EQ(markdown_text("12) item"), "12\\) item");
  EXPECT_EQ(markdown_text("a `b` c"), "a \\`b\\` c");
  EXPECT_EQ(markdown_text("a|b\\c"), "a\\|b\\\\c");
  EXPECT_EQ(markdown_text("[x](y)"), "\\[x\\](y)");
  EXPECT_EQ(markdown_text("R&D &amp;"), "R&D \\&amp;");
  EXPECT_EQ(markdown_text("bell\x07"
                          "end"),
            "bell&#7;end");
  EXPECT_EQ(markdown_text("---"), "\\---");
}

// Issue 11, item 4: each title reads back as written, in one activity, and no title
// becomes a suppression.
TEST(MarkdownWriter, IssueExamplesReadBackUnchanged) {
  const std::vector<std::string> titles = {
      "first\n| injected | R | R |",
      "<!-- racine-disable-next-line RAC202 -->",
      "# heading",
      "> quote",
      "- item",
      "1. item",
      "2) item",
      "`code` and ``double``",
      "*emphasis* and **strong**",
      "a | b",
      "opérateurs*",
  };
  const Matrix m = matrix_of(titles);
  for (const Format f : k_formats) EXPECT_EQ(roundtrip::difference(m, f), "") << format_name(f);
  auto back = read_back(m, Format::markdown);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  ASSERT_EQ(back->activity_count(), titles.size());
  EXPECT_EQ(back->sections[0].activities[0].title,
            "first | injected | R | R |");  // one line: white space only
  EXPECT_EQ(back->sections[0].activities[1].title, "<!-- racine-disable-next-line RAC202 -->");
  EXPECT_EQ(back->sections[0].activities[3].title, "> quote");
  EXPECT_EQ(back->sections[0].activities[7].title, "`code` and ``double``");
  EXPECT_EQ(back->sections[0].activities[8].title, "*emphasis* and **strong**");
  EXPECT_TRUE(back->suppressions.empty());
  EXPECT_EQ(back->sections[0].activities[10].title_markers, std::vector<std::string>{"*"});
}

TEST(MarkdownWriter, MatrixTitleHeadingsAndNotesAreEscaped) {
  Matrix m = matrix_of({"a", "b"}, "<!-- racine-disable -->\n# x");
  m.sections[0].title = "- not a list *";
  m.notes.push_back({"*", "*starts with a star", {}, false, 0});
  m.notes.push_back({"(1)", "(2) looks like a marker | pipe", {}, false, 0});
  m.gray_zone = GrayZone{"Zone grise : > `x`", {}};
  for (const Format f : k_formats) EXPECT_EQ(roundtrip::difference(m, f), "") << format_name(f);
  auto back = read_back(m, Format::markdown);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->title, "<!-- racine-disable --> # x");
  EXPECT_EQ(back->sections[0].title, "- not a list *");
  ASSERT_EQ(back->notes.size(), 2U);
  EXPECT_EQ(back->notes[0].marker, "*");
  EXPECT_EQ(back->notes[0].text, "*starts with a star");
  EXPECT_TRUE(back->suppressions.empty());
}

// Fuzzer findings, each kept as an input in fuzz/corpus-roundtrip too.
TEST(MarkdownWriter, FuzzFindings) {
  // Two markers written together read as one ("***"): a space keeps them apart.
  EXPECT_EQ(cell_text(RoleSet::from_letters("AR"), {"**", "*"}), "RA** *");
  EXPECT_EQ(cell_text(RoleSet::from_letters("C"), {"*", "(1)", "\xC2\xB9", "\xC2\xB2"}),
            "C*(1)\xC2\xB9\xC2\xB2");  // apart already
  Matrix m = matrix_of({"www.a.b?\x13z'<!-- racine-disable-next-line RAC202 -->",
                        "see http://x.y/z\\ and mailto:a@b.co&#19;"});
  m.sections[0].activities[0].cells[0].edit().markers = {"*", "**"};
  m.sections[0].activities[1].cells[1].edit().markers = {"\xC2\xB9", "\xC2\xB2"};
  // A star note whose text holds a star: "*yes**" would open emphasis.
  m.notes.push_back({"*", "yes**x", {}, false, 0});
  for (const Format f : k_formats) EXPECT_EQ(roundtrip::difference(m, f), "") << format_name(f);
  EXPECT_EQ(markdown_text("www.a.b"), "www\\.a.b");
  EXPECT_EQ(markdown_text("http://x"), "http\\://x");
}

// A section without a title keeps its own heading: its table neither joins the section
// above nor takes the matrix's title.
TEST(MarkdownWriter, UntitledSectionKeepsItsHeading) {
  Matrix m = matrix_of({"a"});
  m.sections[0].title = "";
  m.sections.push_back(m.sections[0]);
  m.sections[1].activities[0].id = "b";
  const std::string md = write_markdown(m);
  EXPECT_EQ(md.substr(0, 14), "# Matrix\n\n##\n\n");
  auto back = read_back(m, Format::markdown);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->sections.size(), 2U);
  EXPECT_EQ(back->sections[0].title, "");
  EXPECT_EQ(roundtrip::difference(m, Format::markdown), "");
}

// `racine fmt` restates a remark escaped, so that a pipe in it stays in its cell.
TEST(MarkdownFormat, RemarkKeepsItsEscapes) {
  const std::string doc =
      "| Activity | Client | Provider |\n|---|---|---|\n| Deploy | R (a\\|b) | A |\n";
  auto m = test::read_md(doc);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  const std::string out = format_markdown(*m);
  EXPECT_NE(out.find("R (a\\|b)"), std::string::npos) << out;
  auto again = test::read_md(out);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sections[0].activities[0].cells[0].remark(), "a|b");
  EXPECT_EQ(again->sections[0].activities[0].cells[1].roles.to_string(), "A");
}

// Issue 11, item 8: the formula guard covers OWASP's list and reads back whole.
TEST(CsvWriter, FormulaGuardIsCompleteAndReversible) {
  const std::vector<std::string> values = {"'=already", "\tcmd",  "\rcmd",    "@SUM(1)",
                                           "+1",        "-1",     "=1+2",     "'",
                                           "''x",       "'plain", " padded ", "x\t"};
  Matrix m = matrix_of(values);
  m.sections[0].title = "=section";
  m.parties[1].name = "-Provider";
  for (std::size_t i = 0; i < values.size(); ++i)
    m.sections[0].activities[i].id = values[i] + "-id";
  EXPECT_EQ(roundtrip::difference(m, Format::csv), "");
  auto back = read_back(m, Format::csv);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  ASSERT_EQ(back->activity_count(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(back->sections[0].activities[i].title, values[i]);
    EXPECT_EQ(back->sections[0].activities[i].id, values[i] + "-id");
  }
  EXPECT_EQ(back->sections[0].title, "=section");
  EXPECT_EQ(back->parties[1].name, "-Provider");
  auto field = [](std::string_view v) {
    std::string out;
    append_csv_field(out, v);
    return out;
  };
  EXPECT_EQ(field("'=already"), "''=already");
  EXPECT_EQ(field("\tcmd"), "'\tcmd");
  EXPECT_EQ(field("\rcmd"), "\"'\rcmd\"");
  EXPECT_EQ(field("@SUM(1)"), "'@SUM(1)");
  EXPECT_EQ(field("+1"), "'+1");
  EXPECT_EQ(field("-1"), "'-1");
  EXPECT_EQ(field("'plain"), "''plain");
  EXPECT_EQ(field(" padded "), "\" padded \"");
  EXPECT_EQ(field("plain"), "plain");
}

// An unquoted field is trimmed, as people write CSV; a quoted one is read as written;
// an apostrophe before anything else is kept.
TEST(CsvReader, TrimsOnlyUnquotedFields) {
  auto src = load_text("section,id,title,A\n S , x ,\" T \",RA\nS,y,'it,R\n", "m.csv", Limits{});
  ASSERT_TRUE(src.ok());
  auto m = read_csv(*src, ReadOptions{});
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->sections[0].title, "S");
  EXPECT_EQ(m->sections[0].activities[0].id, "x");
  EXPECT_EQ(m->sections[0].activities[0].title, " T ");
  EXPECT_EQ(m->sections[0].activities[1].title, "'it");
}

TEST(Roundtrip, FuzzSeedsReadBackAsPromised) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(RACINE_SOURCE_DIR) / "fuzz" / "corpus-roundtrip";
  std::size_t seen = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    const Matrix m =
        roundtrip::build_matrix(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    for (const Format f : k_formats)
      EXPECT_EQ(roundtrip::difference(m, f), "") << e.path() << " " << format_name(f);
    ++seen;
  }
  EXPECT_GE(seen, 1U);
}

// The canonical writers write a section at a time, without the tree of the whole matrix:
// the same bytes as the tree serialised (nlohmann's dump(2), json_to_yaml).
TEST(CanonicalWriters, SectionAtATimeWritesWhatTheTreeWrites) {
  std::vector<Matrix> matrices;
  matrices.push_back(test::seed());
  Matrix empty = test::seed();
  empty.sections.clear();
  empty.options.clear();
  matrices.push_back(std::move(empty));
  std::mt19937 rng(20261201);
  for (int i = 0; i < 300; ++i) {
    std::vector<std::uint8_t> bytes(rng() % 400);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    matrices.push_back(roundtrip::build_matrix(bytes.data(), bytes.size()));
  }
  for (const auto& m : matrices) {
    const auto tree = matrix_to_json(m);
    EXPECT_EQ(write_json(m), tree.dump(2) + "\n");
    EXPECT_EQ(write_yaml(m), json_to_yaml(tree));
  }
}

// The fuzzer's check on fixed pseudo-random inputs (the same on every run), so that the
// unit tests cover the round trip without a fuzzing build. RACINE_ROUNDTRIP_RUNS sets
// how many (default 3000).
TEST(Roundtrip, PseudoRandomMatricesReadBackAsPromised) {
  const char* env = std::getenv("RACINE_ROUNDTRIP_RUNS");
  const unsigned long runs = env != nullptr ? std::strtoul(env, nullptr, 10) : 3000;
  std::mt19937 rng(20261130);
  std::size_t failures = 0;
  for (unsigned long i = 0; i < runs && failures < 5; ++i) {
    std::vector<std::uint8_t> bytes(rng() % 400);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    const Matrix m = roundtrip::build_matrix(bytes.data(), bytes.size());
    for (const Format f : k_formats) {
      const std::string d = roundtrip::difference(m, f);
      if (d.empty()) continue;
      ++failures;
      std::string hex;
      for (const auto b : bytes) hex += fmt::format("{:02x}", b);
      ADD_FAILURE() << "run " << i << " through " << format_name(f) << ", input " << hex << "\n"
                    << d;
    }
  }
}

}  // namespace racine
