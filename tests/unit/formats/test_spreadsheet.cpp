// The spreadsheet reader (formats/spreadsheet.h): .xlsx and .ods archives built here from
// their XML (tests/support/zip_writer.h), and sheets saved as CSV. LibreOffice's own
// files are compared with its CSV in tests/xlsx/spreadsheets.sh.

#include <gtest/gtest.h>

#include <string>

#include "formats/csv.h"
#include "formats/loader.h"
#include "formats/spreadsheet.h"
#include "lint/linter.h"
#include "support/zip_writer.h"

namespace racine {

namespace {

using ziptest::make_zip;
using ziptest::ods_parts;
using ziptest::xlsx_parts;

// "section|title|party=cell;..." per activity, parties by name.
std::string summary(const Matrix& m) {
  std::string out;
  for (const auto& p : m.parties) out += p.name + ",";
  out += "\n";
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      out += s.title + "|" + a.title + "|";
      for (std::size_t i = 0; i < a.cells.size() && i < m.parties.size(); ++i)
        if (!a.cells[i].text.empty()) out += m.parties[i].name + "=" + a.cells[i].text + ";";
      out += "\n";
    }
  }
  return out;
}

Result<Matrix> read(const std::string& bytes, sheet::Kind kind, Limits limits = {}) {
  ReadOptions o;
  o.limits = limits;
  o.id = "book";
  return sheet::read_spreadsheet(bytes, kind, "book.xlsx", o);
}

std::string xc(const std::string& ref, const std::string& inner, const std::string& type = "") {
  return "<c r=\"" + ref + "\"" + (type.empty() ? "" : " t=\"" + type + "\"") + ">" + inner +
         "</c>";
}
std::string xs(const std::string& ref, int index) {
  return xc(ref, "<v>" + std::to_string(index) + "</v>", "s");
}

}  // namespace

TEST(Spreadsheet, ColumnLettersAndCellNames) {
  EXPECT_EQ(column_letters(1), "A");
  EXPECT_EQ(column_letters(26), "Z");
  EXPECT_EQ(column_letters(27), "AA");
  EXPECT_EQ(column_letters(16384), "XFD");
  CellMap map;
  map.sheets = {"Sheet1", "Cloud Temple", "l'équipe"};
  EXPECT_EQ(map.name({0, 0, 12, 3}), "Sheet1!C12");
  EXPECT_EQ(map.name({0, 1, 2, 2}), "'Cloud Temple'!B2");
  EXPECT_EQ(map.name({0, 2, 1, 1}), "'l''équipe'!A1");
}

// Shared strings (a rich-text run and a Japanese phonetic reading left out), an inline
// string, a formula's cached text, numbers, a title row above the header, a hidden row,
// a hidden column and a hidden sheet.
TEST(Spreadsheet, XlsxAsPeopleKeepIt) {
  const std::vector<std::string> shared = {
      "Matrix of the website",                                     // 0
      "Task",                                                      // 1
      "PO",                                                        // 2
      "Dev",                                                       // 3
      "<r><t>Write </t></r><r><rPr><b/></rPr><t>stories</t></r>",  // 4
      "R",                                                         // 5
      "A",                                                         // 6
      "<t>設定</t><rPh sb=\"0\" eb=\"2\"><t>せってい</t></rPh>",   // 7
      "Secret",                                                    // 8
      "C",                                                         // 9
  };
  const std::string sheet1 =
      "<cols><col min=\"4\" max=\"4\" hidden=\"1\"/></cols><sheetData>"
      "<row r=\"1\">" +
      xs("A1", 0) +
      "</row>"
      "<row r=\"3\">" +
      xs("A3", 1) + xs("B3", 2) + xs("C3", 3) + xc("D3", "<v>9</v>") +
      "</row>"
      "<row r=\"4\">" +
      xs("A4", 4) + xs("B4", 6) + xs("C4", 5) + xs("D4", 5) +
      "</row>"
      "<row r=\"5\">" +
      xs("A5", 7) + xs("B5", 6) + xc("C5", "<is><t>R</t></is>", "inlineStr") +
      "</row>"
      "<row r=\"6\" hidden=\"1\">" +
      xs("A6", 8) + xs("B6", 6) + xs("C6", 5) +
      "</row>"
      "<row r=\"7\">" +
      xc("A7", "<f>\"Deploy \"&amp;\"it\"</f><v>Deploy it</v>", "str") + xc("B7", "<v>1.0</v>") +
      xs("C7", 9) +
      "</row>"
      "</sheetData>";
  const std::string hidden_sheet =
      "<sheetData><row r=\"1\">" + xs("A1", 8) + xs("B1", 5) + "</row></sheetData>";
  auto m =
      read(make_zip(xlsx_parts({{"Plan", sheet1}, {"Notes", hidden_sheet}}, shared, {"Notes"})),
           sheet::Kind::xlsx);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->title, "Matrix of the website");
  EXPECT_EQ(summary(*m),
            "PO,Dev,\n"
            "Matrix of the website|Write stories|PO=A;Dev=R;\n"
            "Matrix of the website|設定|PO=A;Dev=R;\n"
            "Matrix of the website|Deploy it|PO=1;Dev=C;\n");
  // Findings name the cell.
  const auto& deploy = m->sections[0].activities[2];
  EXPECT_EQ(m->source->cell(deploy.cells[0].span.begin), "Plan!B7");
  EXPECT_EQ(m->source->position(deploy.cells[1].span.begin).line, 7U);
}

TEST(Spreadsheet, XlsxMergedRowAndCoveredCells) {
  // A merged title across the table keeps its text in its first cell only; a value
  // left in a covered cell (some writers keep one) is not read.
  const std::string sheet1 =
      "<sheetData>"
      "<row r=\"1\">" +
      xc("A1", "<is><t>Task</t></is>", "inlineStr") +
      xc("B1", "<is><t>Client</t></is>", "inlineStr") +
      xc("C1", "<is><t>Provider</t></is>", "inlineStr") +
      "</row>"
      "<row r=\"2\">" +
      xc("A2", "<is><t>Backups</t></is>", "inlineStr") +
      xc("C2", "<is><t>stale</t></is>", "inlineStr") +
      "</row>"
      "<row r=\"3\">" +
      xc("A3", "<is><t>Back up volumes</t></is>", "inlineStr") +
      xc("B3", "<is><t>A</t></is>", "inlineStr") + xc("C3", "<is><t>R</t></is>", "inlineStr") +
      "</row>"
      "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A2:C2\"/></mergeCells>";
  auto book =
      sheet::read_workbook(make_zip(xlsx_parts({{"S", sheet1}})), sheet::Kind::xlsx, "b.xlsx", {});
  ASSERT_TRUE(book.ok()) << book.error().to_string();
  ASSERT_EQ(book->sheets.size(), 1U);
  ASSERT_EQ(book->sheets[0].rows.size(), 3U);
  ASSERT_EQ(book->sheets[0].rows[1].cells.size(), 1U);
  EXPECT_EQ(book->sheets[0].rows[1].cells[0].text, "Backups");
  const auto r = sheet::render(*book);
  EXPECT_EQ(r.markdown,
            "| Task | Client | Provider |\n"
            "| --- | --- | --- |\n"
            "| Backups |  |  |\n"
            "| Back up volumes | A | R |\n");
}

TEST(Spreadsheet, MarkdownOfACellIsItsText) {
  // Every ASCII punctuation is escaped, lines joined: the cell renders as written.
  sheet::Workbook book;
  book.sheets.push_back(
      {"S",
       {{1, {{1, "Task"}, {2, "A|B"}}}, {2, {{1, "*not* [a](link) <b>\n`x`"}, {2, "R"}}}},
       {}});
  const auto r = sheet::render(book);
  EXPECT_EQ(r.markdown,
            "| Task | A\\|B |\n"
            "| --- | --- |\n"
            "| \\*not\\* \\[a\\]\\(link\\) \\<b\\> \\`x\\` | R |\n");
  auto src = std::make_shared<SourceFile>("s.xlsx", r.markdown);
  ReadOptions o;
  auto m = read_markdown(src, o);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->sections[0].activities[0].title, "*not* [a](link) <b> `x`");
  EXPECT_EQ(m->parties[0].name, "A|B");
}

TEST(Spreadsheet, OdsRepeatsAnnotationsAndHiddenThings) {
  const std::string tables =
      "<table:table table:name=\"Matrice\">"
      "<table:table-column table:number-columns-repeated=\"2\"/>"
      "<table:table-column table:visibility=\"collapse\"/>"
      "<table:table-column table:number-columns-repeated=\"1021\"/>"
      "<table:table-row><table:table-cell "
      "office:value-type=\"string\"><text:p>Activité</text:p></table:table-cell>"
      "<table:table-cell><text:p>Client</text:p></"
      "table:table-cell><table:table-cell><text:p>Caché</text:p></table:table-cell>"
      "<table:table-cell><text:p>Cloud<text:s text:c=\"2\"/>Temple</text:p></table:table-cell>"
      "<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>"
      "<table:table-row "
      "table:number-rows-repeated=\"2\"><table:table-cell><text:p>Sauvegarder</text:p></"
      "table:table-cell>"
      "<table:table-cell><office:annotation><text:p>note "
      "R</text:p></office:annotation><text:p>A</text:p></table:table-cell>"
      "<table:table-cell><text:p>C</text:p></table:table-cell><table:table-cell><text:p>R</"
      "text:p></table:table-cell></table:table-row>"
      "<table:table-row "
      "table:visibility=\"collapse\"><table:table-cell><text:p>Masqué</text:p></table:table-cell>"
      "<table:table-cell><text:p>A</text:p></table:table-cell></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell "
      "table:number-columns-repeated=\"1024\"/></table:table-row>"
      "<table:table-row><table:table-cell><text:p>Restaurer</text:p><text:p>un "
      "volume</text:p></table:table-cell>"
      "<table:covered-table-cell><text:p>R</text:p></table:covered-table-cell>"
      "<table:table-cell/><table:table-cell><text:p>A</text:p></table:table-cell></table:table-row>"
      "</table:table>"
      "<table:table table:name=\"Brouillon\" "
      "table:style-name=\"ta2\"><table:table-row><table:table-cell><text:p>x</text:p></"
      "table:table-cell>"
      "<table:table-cell><text:p>y</text:p></table:table-cell></table:table-row></table:table>";
  const std::string styles =
      "<style:style style:name=\"ta2\" style:family=\"table\"><style:table-properties "
      "table:display=\"false\"/></style:style>";
  auto book =
      sheet::read_workbook(make_zip(ods_parts(tables, styles)), sheet::Kind::ods, "b.ods", {});
  ASSERT_TRUE(book.ok()) << book.error().to_string();
  ASSERT_EQ(book->sheets.size(), 1U);
  const auto& rows = book->sheets[0].rows;
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[1].number, 2U);
  EXPECT_EQ(rows[2].number, 3U);
  EXPECT_EQ(rows[3].number, 1048005U);
  auto m = read(make_zip(ods_parts(tables, styles)), sheet::Kind::ods);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(summary(*m),
            "Client,Cloud Temple,\n"
            "|Sauvegarder|Client=A;Cloud Temple=R;\n"
            "|Sauvegarder|Client=A;Cloud Temple=R;\n"
            "|Restaurer un volume|Cloud Temple=A;\n");
  // The hidden column is left out of the table, and the others keep their names: D is
  // still D.
  EXPECT_EQ(book->sheets[0].hidden_columns, std::vector<std::uint32_t>{3});
  EXPECT_EQ(m->source->cell(m->sections[0].activities[0].cells[1].span.begin), "Matrice!D2");
}

TEST(Spreadsheet, SheetsAreSectionsWhenThereAreSeveralTables) {
  const std::string a = "<sheetData><row r=\"1\">" + xc("A1", "<is><t>Task</t></is>", "inlineStr") +
                        xc("B1", "<is><t>Ops</t></is>", "inlineStr") + "</row><row r=\"2\">" +
                        xc("A2", "<is><t>Patch</t></is>", "inlineStr") +
                        xc("B2", "<is><t>RA</t></is>", "inlineStr") + "</row></sheetData>";
  const std::string b = "<sheetData><row r=\"2\">" + xc("B2", "<is><t>Task</t></is>", "inlineStr") +
                        xc("C2", "<is><t>Ops</t></is>", "inlineStr") + "</row><row r=\"3\">" +
                        xc("B3", "<is><t>Monitor</t></is>", "inlineStr") +
                        xc("C3", "<is><t>RA</t></is>", "inlineStr") + "</row></sheetData>";
  auto m = read(make_zip(xlsx_parts({{"Build", a}, {"Run phase", b}})), sheet::Kind::xlsx);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(summary(*m), "Ops,\nBuild|Patch|Ops=RA;\nRun phase|Monitor|Ops=RA;\n");
  EXPECT_EQ(m->source->cell(m->sections[1].activities[0].cells[0].span.begin), "'Run phase'!C3");
}

// What stands above the matrix (a project form, a small table of its own) is text: the
// header is the last row of two cells above the first rows with roles.
TEST(Spreadsheet, TheHeaderIsAboveTheFirstRowsWithRoles) {
  auto src = load_text(
      "Project: Orion,Owner: PMO,\n,,\nKey,Value,\nBudget,12,\nManager,A,\n,,\n"
      "Task,Dev,Ops\nBuild,RA,C\nRun,I,RA\n",
      "plan.csv", {});
  ASSERT_TRUE(src.ok());
  auto m = read_csv(*src, ReadOptions{});
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->title, "Project: Orion Owner: PMO");
  EXPECT_EQ(summary(*m).substr(summary(*m).find('\n') + 1),
            "Project: Orion Owner: PMO|Build|Dev=RA;Ops=C;\n"
            "Project: Orion Owner: PMO|Run|Dev=I;Ops=RA;\n");
  // A refusal names cells, not the lines of the Markdown the sheet became.
  auto none = load_text("Task,Dev\nBuild,x\n", "plan.csv", {});
  const auto refused = read_csv(*none, ReadOptions{});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("cell plan!A1"), std::string::npos)
      << refused.error().message;
}

// After an empty row, a legend written in the table's columns ("R - Responsible" under a
// party) ends the table; rows with roles after an empty row go on with it.
TEST(Spreadsheet, ALegendAfterAnEmptyRowEndsTheTable) {
  auto src = load_text(
      "Task,Dev,Ops\nBuild,R,A\n,,\nRun,A,R\n,,\nLegend,,\n,R - Responsible,\n,A - Accountable,\n",
      "plan.csv", {});
  ASSERT_TRUE(src.ok());
  auto m = read_csv(*src, ReadOptions{});
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(summary(*m), "Dev,Ops,\n|Build|Dev=R;Ops=A;\n|Run|Dev=A;Ops=R;\n");
}

TEST(Spreadsheet, ForeignCsvIsReadAsASheet) {
  auto src = load_text(
      "Matrice RACI,,\n,,\nActivité,Client,Cloud Temple\n\"Sauvegarder, restaurer\",A,R\n",
      "plan.csv", {});
  ASSERT_TRUE(src.ok());
  ReadOptions o;
  auto m = read_csv(*src, o);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->title, "Matrice RACI");
  EXPECT_EQ(summary(*m),
            "Client,Cloud Temple,\nMatrice RACI|Sauvegarder, restaurer|Client=A;Cloud Temple=R;\n");
  EXPECT_EQ(m->source->cell(m->sections[0].activities[0].cells[1].span.begin), "plan!C4");
}

TEST(Spreadsheet, RefusalsSayWhy) {
  EXPECT_EQ(
      read("not a zip at all", sheet::Kind::xlsx).error().to_string(),
      "book.xlsx: not a spreadsheet: it cannot be opened as a ZIP archive (Not a zip archive)");
  EXPECT_EQ(read(make_zip(ods_parts("")), sheet::Kind::xlsx).error().to_string(),
            "book.xlsx: not an Office Open XML workbook: the archive has no xl/workbook.xml (an "
            "OpenDocument spreadsheet is read from .ods)");
  EXPECT_EQ(
      read(make_zip(xlsx_parts({{"S", "<sheetData>"}})), sheet::Kind::xlsx).error().to_string(),
      "book.xlsx: xl/worksheets/sheet1.xml:2: not well-formed XML: mismatched tag");
  EXPECT_EQ(
      read(make_zip(xlsx_parts(
               {{"S", "<sheetData><row r=\"1\">" + xs("A1", 3) + "</row></sheetData>"}}, {"x"})),
           sheet::Kind::xlsx)
          .error()
          .to_string(),
      "book.xlsx: xl/worksheets/sheet1.xml: cell A1 names shared string 3, of 1");
  EXPECT_EQ(
      read(make_zip(xlsx_parts({{"S", "<sheetData/>"}})), sheet::Kind::xlsx).error().to_string(),
      "book.xlsx: the workbook's visible sheets have no filled cell");
  EXPECT_EQ(
      read(make_zip(xlsx_parts({{"S", "<sheetData><row r=\"1\">" + xc("IW1", "<v>1</v>") +
                                          xc("A1", "<v>1</v>") + "</row></sheetData>"}})),
           sheet::Kind::xlsx)
          .error()
          .to_string(),
      "book.xlsx: xl/worksheets/sheet1.xml: sheet 'S' has a filled cell in column IW (row 1), past "
      "the 256 columns racine reads (limits.max-columns in .racine.yaml)");
  // A table the Markdown reader refuses is refused at its cell.
  auto no_roles =
      read(make_zip(xlsx_parts({{"S", "<sheetData><row r=\"4\">" + xc("B4", "<v>1</v>") +
                                          xc("C4", "<v>2</v>") + "</row></sheetData>"}})),
           sheet::Kind::xlsx);
  ASSERT_FALSE(no_roles.ok());
  EXPECT_EQ(no_roles.error().path.rfind("book.xlsx", 0), 0U);
}

// A ZIP bomb stops at the byte budget, however sizes are declared; a billion laughs
// never starts (no document type declaration is read); too many entries are refused.
TEST(Spreadsheet, BombsAreRefusedInBoundedTime) {
  Limits small;
  small.max_bytes = 1 << 20;
  auto bomb = xlsx_parts({{"S", "<sheetData/>"}});
  bomb[0].bytes.append(std::string(32u << 20, ' '));  // 32 MiB of spaces, deflated to ~32 KiB
  const std::string zipped = make_zip(bomb);
  EXPECT_LT(zipped.size(), 200'000U);
  EXPECT_EQ(read(zipped, sheet::Kind::xlsx, small).error().to_string(),
            "book.xlsx: the part xl/worksheets/sheet1.xml unpacks past the limit of what a "
            "spreadsheet may unpack to (limits.max-bytes in .racine.yaml): a ZIP bomb, or a "
            "workbook far larger than a matrix");

  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int i = 1; i < 10; ++i)
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"" + std::string(10, '&') + "\">";
  laughs += "]>\n<sst><si><t>&lol9;</t></si></sst>";
  auto parts = xlsx_parts({{"S", "<sheetData/>"}}, {"x"});
  for (auto& p : parts)
    if (p.name == "xl/sharedStrings.xml") p.bytes = laughs;
  EXPECT_EQ(read(make_zip(parts), sheet::Kind::xlsx).error().to_string(),
            "book.xlsx: xl/sharedStrings.xml:2: a document type declaration (<!DOCTYPE>), which no "
            "spreadsheet has: refused, so that no entity is ever expanded");

  std::vector<ziptest::ZipPart> many = xlsx_parts({{"S", "<sheetData/>"}});
  for (int i = 0; i < 10'001; ++i) many.push_back({"x/" + std::to_string(i), "", true});
  EXPECT_EQ(read(make_zip(many), sheet::Kind::xlsx).error().to_string(),
            "book.xlsx: the archive has 10006 entries, above the 10000 a spreadsheet may have");

  // Repeated filled cells are bounded too: 200 columns of a 1,048,576-row repeat.
  const std::string wide =
      "<table:table table:name=\"S\"><table:table-row table:number-rows-repeated=\"1048576\">"
      "<table:table-cell "
      "table:number-columns-repeated=\"200\"><text:p>R</text:p></table:table-cell>"
      "</table:table-row></table:table>";
  EXPECT_EQ(read(make_zip(ods_parts(wide)), sheet::Kind::ods).error().to_string(),
            "book.xlsx: content.xml: more than 1000000 filled cells: far more than a matrix has");
}

// Review findings: what a small file may cost stays bounded, and messages keep cells' text.
TEST(Spreadsheet, CraftedSheetsStayBounded) {
  Limits small;
  small.max_bytes = 1 << 20;
  // A header in A1 and IV1 over many one-cell rows: written out with its empty cells it
  // would be hundreds of megabytes; refused at max-bytes instead.
  std::string rows =
      "<table:table table:name=\"S\"><table:table-row><table:table-cell><text:p>Task</text:p>"
      "</table:table-cell><table:table-cell table:number-columns-repeated=\"254\"/>"
      "<table:table-cell><text:p>Ops</text:p></table:table-cell></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"50000\"><table:table-cell><text:p>x</text:p>"
      "</table:table-cell></table:table-row></table:table>";
  EXPECT_EQ(read(make_zip(ods_parts(rows)), sheet::Kind::ods, small).error().to_string(),
            "book.xlsx: its tables, written out with their empty cells, pass 1048576 bytes "
            "(limits.max-bytes in .racine.yaml): far wider and longer than a matrix");
  // Long cells repeated: their text adds up against max-bytes, not 32 KiB each.
  const std::string long_cell =
      "<table:table table:name=\"S\"><table:table-row table:number-rows-repeated=\"100\">"
      "<table:table-cell table:number-columns-repeated=\"2\"><text:p>" +
      std::string(30'000, 'a') + "</text:p></table:table-cell></table:table-row></table:table>";
  EXPECT_EQ(read(make_zip(ods_parts(long_cell)), sheet::Kind::ods, small).error().to_string(),
            "book.xlsx: content.xml: the cells' text adds up past 1048576 bytes (limits.max-bytes "
            "in .racine.yaml): far more than a matrix has");
  // Spaces written as <text:s text:c="1000"/> are cut like any text.
  std::string spaces = "<table:table table:name=\"S\"><table:table-row><table:table-cell><text:p>";
  for (int i = 0; i < 200; ++i) spaces += "<text:s text:c=\"1000\"/>";
  spaces += "</text:p></table:table-cell></table:table-row></table:table>";
  auto book = sheet::read_workbook(make_zip(ods_parts(spaces)), sheet::Kind::ods, "b.ods", {});
  ASSERT_TRUE(book.ok()) << book.error().to_string();
  ASSERT_EQ(book->sheets[0].rows.size(), 1U);
  EXPECT_LE(book->sheets[0].rows[0].cells[0].text.size(), sheet::k_max_cell_bytes);
}

TEST(Spreadsheet, MessagesKeepCellTextAndTheTitleIsTheFirstTitleRow) {
  // "line 2" inside a quoted header is the header's text, not a line to translate.
  auto src = load_text("Notes,Pipeline 2\nx,y\n", "plan.csv", {});
  auto refused = read_csv(*src, ReadOptions{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "no RACI table found; skipped: cell plan!A1: not a RACI table: no column below "
            "'Pipeline 2' holds role codes");
  // An empty first sheet: the title is the next sheet's first title row.
  const std::string empty = "<sheetData/>";
  const std::string plan =
      "<sheetData><row r=\"1\">" + xc("A1", "<is><t>My Plan</t></is>", "inlineStr") +
      "</row><row r=\"3\">" + xc("A3", "<is><t>Task</t></is>", "inlineStr") +
      xc("B3", "<is><t>Ops</t></is>", "inlineStr") + "</row><row r=\"4\">" +
      xc("A4", "<is><t>Patch</t></is>", "inlineStr") + xc("B4", "<is><t>RA</t></is>", "inlineStr") +
      "</row><row r=\"5\">" + xc("A5", "<is><t>Run</t></is>", "inlineStr") +
      xc("B5", "<is><t>RA</t></is>", "inlineStr") + "</row></sheetData>";
  auto m = read(make_zip(xlsx_parts({{"Cover", empty}, {"Plan", plan}})), sheet::Kind::xlsx);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->title, "My Plan");
  EXPECT_EQ(m->activity_count(), 2U);
}

}  // namespace racine
