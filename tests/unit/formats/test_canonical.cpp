#include <gtest/gtest.h>

#include "../../hostile_inputs.h"
#include "formats/canonical_reader.h"
#include "formats/csv.h"
#include "formats/document.h"
#include "formats/loader.h"
#include "formats/yaml_writer.h"
#include "lint/linter.h"

namespace racine {

namespace {

Result<Matrix> read(const std::string& text, Format f, const std::string& name = "m.yaml") {
  auto src = load_text(text, name, Limits{});
  if (!src) return src.error();
  return read_document(*src, f, ReadOptions{});
}

std::string error_of(const std::string& text, Format f = Format::yaml) {
  auto m = read(text, f);
  return m.ok() ? "(read)" : m.error().to_string();
}

const char* const k_minimal = R"(racine: 1
id: ops
title: Operations
language: en
parties:
  - id: client
    name: Client
  - id: provider
    name: Provider
sections:
  - title: Backups
    activities:
      - id: backup
        title: {en: Back up the databases, fr: Sauvegarder les bases}
        roles: {client: I, provider: RA*}
      - title: Restore the databases
        roles:
          client: RA
          provider: C
notes:
  - marker: "*"
    text: Can be delegated to Client under an extra contract.
gray_zone: Anything else is billed as a project.
)";

}  // namespace

TEST(Canonical, ReadsTheMinimalDocument) {
  auto m = read(k_minimal, Format::yaml);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->id, "ops");
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"Client", "Provider"}));
  ASSERT_EQ(m->sections.size(), 1U);
  const auto& acts = m->sections[0].activities;
  ASSERT_EQ(acts.size(), 2U);
  EXPECT_EQ(acts[0].title, "Back up the databases");  // the matrix's language
  ASSERT_EQ(acts[0].titles.size(), 2U);
  EXPECT_EQ(acts[0].titles[1],
            (std::pair<std::string, std::string>{"fr", "Sauvegarder les bases"}));
  EXPECT_EQ(acts[0].cells[1].roles.to_string(), "RA");
  EXPECT_EQ(acts[0].cells[1].markers, std::vector<std::string>{"*"});
  EXPECT_EQ(acts[1].id, "restore-the-databases");  // derived when absent
  EXPECT_EQ(m->source->position(acts[1].cells[0].span.begin).line, 18U);
  ASSERT_EQ(m->marker_uses.size(), 1U);
  EXPECT_EQ(m->marker_uses[0].note, 0);
  ASSERT_TRUE(m->gray_zone.has_value());
  // Multilingual titles survive a trip through YAML and JSON.
  for (const Format f : {Format::yaml, Format::json}) {
    auto back = read(write_document(*m, f), f);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(back->sections[0].activities[0].titles, acts[0].titles);
  }
}

TEST(Canonical, SameDiagnosticsAsMarkdown) {
  auto m = read(k_minimal, Format::yaml);
  ASSERT_TRUE(m.ok());
  const auto diags = lint::run(*m, {});
  ASSERT_EQ(diags.size(), 0U);
  auto bad = read(
      "racine: 1\nparties: [{id: a, name: A}, {id: b, name: B}]\nsections:\n  - title: S\n    "
      "activities:\n"
      "      - title: T\n        roles: {a: RA, b: RAX}\n",
      Format::yaml);
  ASSERT_TRUE(bad.ok()) << bad.error().to_string();
  std::vector<std::string> got;
  for (const auto& d : lint::run(*bad, {})) {
    const auto p = bad->source->position(d.span.begin);
    got.push_back(d.code + "@" + std::to_string(p.line) + ":" + std::to_string(p.column));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"RAC202@6:9", "RAC101@7:27"}));
}

TEST(Canonical, RefusalsCarryLineAndColumn) {
  const std::string head =
      "racine: 1\nparties:\n  - {id: a, name: A}\nsections:\n  - title: S\n    activities:\n";
  EXPECT_EQ(error_of(head + "      - title: [not, a, string]\n"),
            "m.yaml:7:16: an activity's title must be a string, not a sequence");
  EXPECT_EQ(error_of(head + "      - title: T\n        roles: {a: R, zz: A}\n"),
            "m.yaml:8:23: unknown party id 'zz' (parties: a)");
  EXPECT_EQ(error_of(head + "      - {id: x, title: T}\n      - {id: x, title: U}\n"),
            "m.yaml:8:14: duplicate activity id 'x'");
  EXPECT_EQ(error_of(head + "      - title: T\n        colour: red\n"),
            "m.yaml:8:9: unknown key 'colour' in an activity (known: id, title, line, roles, "
            "markers, title_markers, "
            "fields)");
  EXPECT_EQ(error_of("racine: 2\nparties: []\nsections: []\n"),
            "m.yaml:1:9: unsupported format version '2': this racine reads version 1");
  EXPECT_EQ(error_of("parties: []\n"),
            "m.yaml:1:1: not a racine document: the key 'racine: 1' is missing");
  EXPECT_EQ(error_of("- just\n- a list\n"),
            "m.yaml:1:1: the document must be a mapping, not a sequence");
  EXPECT_EQ(error_of(head + "      - title: T\n        roles: {a: R}\n  bad indent: [\n"),
            "m.yaml:9:3: end of map not found");
  EXPECT_EQ(
      error_of("{\"racine\": 1, \"parties\": [{\"name\": \"A\"}], \"sections\": {}}", Format::json),
      "m.yaml:1:55: sections must be a sequence, not a mapping");
  EXPECT_EQ(error_of("racine: 1\nparties: [{name: A}]\nsections: []\n---\nracine: 1\n"),
            "m.yaml:5:1: a second YAML document: a file holds one matrix");
}

TEST(Canonical, GlossaryIsReadWrittenAndChecked) {
  const std::string head =
      "racine: 1\nparties:\n  - {id: a, name: A}\nsections:\n  - title: S\n    activities:\n"
      "      - {title: T, roles: {a: R}}\n";
  auto m =
      read(head + "glossary:\n  disaster: [PRA, Plan de reprise]\n  tickets: GLPI\n", Format::yaml);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  ASSERT_EQ(m->glossary.size(), 2U);
  EXPECT_EQ(m->glossary[0].concept_id, "disaster");
  EXPECT_EQ(m->glossary[0].words, (std::vector<std::string>{"PRA", "Plan de reprise"}));
  EXPECT_EQ(m->glossary[1].words, std::vector<std::string>{"GLPI"});
  for (const Format f : {Format::yaml, Format::json}) {
    auto back = read(write_document(*m, f), f);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    ASSERT_EQ(back->glossary.size(), 2U);
    EXPECT_EQ(back->glossary[0].words, m->glossary[0].words);
    EXPECT_EQ(back->glossary[1].concept_id, "tickets");
  }
  EXPECT_EQ(error_of(head + "glossary: [PRA]\n"),
            "m.yaml:8:11: glossary must be a mapping, not a sequence");
  EXPECT_EQ(error_of(head + "glossary:\n  plan de reprise: [PRA]\n"),
            "m.yaml:9:3: a glossary concept is a word without spaces, ',', ':', '#' or '~', not "
            "'plan de reprise'");
  EXPECT_EQ(error_of(head + "glossary:\n  disaster: [PRA, \"  \"]\n"),
            "m.yaml:9:19: glossary concept 'disaster': a word cannot be empty");
  EXPECT_EQ(error_of(head + "glossary:\n  disaster: {a: b}\n"),
            "m.yaml:9:13: the words of a glossary concept must be a sequence, not a mapping");
  EXPECT_EQ(error_of(head + "glossary:\n  x: [a]\n  x: [b]\n"),
            "m.yaml:10:3: glossary concept 'x' appears twice");
}

// yaml-cpp 0.7 decodes \_ (U+00A0) and \N \L \P to single bytes, not UTF-8: the model
// would hold invalid UTF-8 and every writer would throw (found by the canonical fuzzer).
TEST(Canonical, EscapesDecodedToInvalidUtf8AreRefused) {
  const std::string message =
      "this value is not valid UTF-8 once its escapes are decoded: write the character itself "
      "instead of the escapes \\_ \\N \\L \\P";
  EXPECT_EQ(error_of("racine: 1\ntitle: \"a\\_b\"\nparties: [{name: A}]\nsections: []\n"),
            "m.yaml:2:8: " + message);
  EXPECT_EQ(error_of("{\"racine\": 1, \"parties\": [{\"name\": \"Dev\\_x\"}], \"sections\": []}",
                     Format::json),
            "m.yaml:1:36: " + message);
  // Escapes that decode to UTF-8 stay allowed (the document is then refused for what it
  // lacks, not for its escapes).
  EXPECT_EQ(
      error_of("racine: 1\ntitle: \"caf\\u00e9 \\x41\"\nparties: [{name: A}]\nsections: []\n"),
      "m.yaml: no activity: the matrix has no section with activities");
}

TEST(Canonical, HostileYamlAndJson) {
  // Alias bombs are refused at the first alias, before anything expands.
  EXPECT_EQ(
      error_of("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"),
      "m.yaml:2:8: aliases (*name) are not allowed in a racine document: write the value out");
  // Deep nesting stops at yaml-cpp's depth guard, in flow, block and JSON form.
  EXPECT_NE(error_of(std::string(100000, '[') + std::string(100000, ']'), Format::json)
                .find("nesting deeper than"),
            std::string::npos);
  std::string block;
  for (int i = 0; i < 100000; ++i) block += "- ";
  EXPECT_NE(error_of(block + "x\n").find("nesting deeper than"), std::string::npos);
  // yaml-cpp 0.7 would return this same document forever.
  EXPECT_EQ(error_of("  \"a\", \"b\",\n  \"c\"]\n"),
            "m.yaml:1:6: malformed YAML: the parser cannot go past this point");
  // Not YAML at all.
  EXPECT_EQ(error_of("\t\"unterminated\n"),
            "m.yaml:1:2: the document must be a mapping, not a scalar");
}

TEST(Canonical, YamlStringsReadBackAsWritten) {
  const std::vector<std::string> tricky = {
      "yes",     "No",          "null",        "NULL", "~",      "1.5",    "42",
      "-x",      "- x",         "a: b",        "a:b",  "#x",     "x #y",   "x# y",
      "[x]",     "{x}",         "*",           "&a",   "!t",     "%x",     "@x",
      "`x",      "'x",          "\"x",         "x'y",  "é",      " lead",  "trail ",
      "tab\tin", "line\nbreak", "back\\slash", "(1)",  "¹",      "x,y",    "🙂",
      "",        "?x",          ":x",          "x:",   "| pipe", "> fold", "a\u2028b"};
  for (const auto& s : tricky) {
    const std::string doc =
        "racine: 1\nparties:\n  - name: x\nsections:\n  - activities:\n      - title: x\n"
        "        fields:\n" +
        json_to_yaml(nlohmann::ordered_json{{"f", s}}).insert(0, "          ") +
        // and inside a flow sequence, where commas and brackets matter
        json_to_yaml(nlohmann::ordered_json{{"title_markers", {s, s}}}).insert(0, "        ");
    auto back = read(doc, Format::yaml);
    ASSERT_TRUE(back.ok()) << "'" << s << "': " << back.error().to_string() << "\n" << doc;
    ASSERT_EQ(back->sections[0].activities[0].fields.size(), 1U) << s;
    EXPECT_EQ(back->sections[0].activities[0].fields[0].value, s) << doc;
    EXPECT_EQ(back->sections[0].activities[0].title_markers, (std::vector<std::string>{s, s}))
        << doc;
  }
}

TEST(Csv, WritesRfc4180AndReadsItBack) {
  auto m = read(k_minimal, Format::yaml);
  ASSERT_TRUE(m.ok());
  const std::string csv = write_csv(*m);
  EXPECT_EQ(csv,
            "\xEF\xBB\xBFsection,id,title,Client,Provider\r\n"
            "Backups,backup,Back up the databases,I,RA*\r\n"
            "Backups,restore-the-databases,Restore the databases,RA,C\r\n");
  auto back = read(csv, Format::csv, "m.csv");
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->party_names(), m->party_names());
  EXPECT_EQ(back->sections[0].activities[0].cells[1].markers, std::vector<std::string>{"*"});
}

TEST(Csv, QuotingFormulasAndErrors) {
  const std::string csv =
      "section,id,title,\"Client, Inc.\",Provider\n"
      "S,,\"Multi\nline, \"\"quoted\"\"\",RA,'=cmd\n"
      "S,x,'-dash title,C,RA\n";
  auto m = read(csv, Format::csv, "m.csv");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->parties[0].name, "Client, Inc.");
  EXPECT_EQ(m->sections[0].activities[0].title, "Multi\nline, \"quoted\"");
  EXPECT_EQ(m->sections[0].activities[1].title, "-dash title");
  EXPECT_EQ(m->sections[0].activities[0].cells[1].unknown,
            "=md");  // '=cmd read as =cmd: C and "=md"
  const std::string out = write_csv(*m);
  EXPECT_NE(out.find("'-dash title"), std::string::npos);  // a spreadsheet will not run it
  EXPECT_EQ(error_of("section,id,title,A\nS,x,\"open,RA\n", Format::csv),
            "m.yaml:2:5: quoted field never closed: a '\"' is missing");
  EXPECT_EQ(error_of("title,A\nx,RA\n", Format::csv),
            "m.yaml:1:1: the header must be: section,id,title, then one column per party");
  EXPECT_EQ(error_of("section,id,title,A\nS,x,T,RA,extra\n", Format::csv),
            "m.yaml:2:1: row has 5 fields, the header 4");
  EXPECT_EQ(error_of("section,id,title,A\nS,x,T,RA\nS,x,U,C\n", Format::csv),
            "m.yaml:3:3: duplicate activity id 'x'");
  EXPECT_EQ(error_of("", Format::csv), "m.yaml:1:1: the CSV file is empty");
  std::string wide = "section,id,title";
  for (int i = 0; i < 300; ++i) wide += ",P" + std::to_string(i);
  EXPECT_EQ(error_of(wide + "\n", Format::csv).find("m.yaml:1:"), 0U);
}

TEST(Formats, ByNameAndExtension) {
  EXPECT_EQ(format_of_path("a/b.YAML"), Format::yaml);
  EXPECT_EQ(format_of_path("a/b.yml"), Format::yaml);
  EXPECT_EQ(format_of_path("b.json"), Format::json);
  EXPECT_EQ(format_of_path("b.csv"), Format::csv);
  EXPECT_EQ(format_of_path("b.txt"), Format::markdown);
  EXPECT_EQ(parse_format("Markdown"), Format::markdown);
  EXPECT_EQ(parse_format("xlsx"), std::nullopt);
}

}  // namespace racine
