// Every format on the real corpus and the seed: Markdown -> YAML, JSON, CSV -> model is
// the model of the Markdown; `fmt` is idempotent, keeps every non-table line and the
// model. Skips the corpus part when it is absent.

#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_test_support.h"
#include "formats/document.h"
#include "formats/loader.h"
#include "formats/markdown_format.h"
#include "prerequisites.h"

namespace racine::test {

namespace {

// Everything a round trip must keep, as text; CSV keeps less (docs/formats.md).
std::string model_key(const Matrix& m, bool csv) {
  std::string k;
  if (!csv) k += "id=" + m.id + "\ntitle=" + m.title + "\nlanguage=" + m.language + "\n";
  for (const auto& p : m.parties) k += "party " + p.id + "=" + p.name + "\n";
  for (const auto& s : m.sections) {
    k += "## " + s.title + "\n";
    for (const auto& a : s.activities) {
      k += a.id + " | " + a.title + " |";
      for (const auto& mk : a.title_markers) k += " t" + mk;
      for (std::size_t p = 0; p < m.parties.size(); ++p) {
        const Cell* c = p < a.cells.size() ? &a.cells[p] : nullptr;
        k += " | ";
        if (c == nullptr || (!c->present && !csv)) {
          k += "-";
          continue;
        }
        k += c->roles.to_string();
        for (const auto& mk : c->markers()) k += mk;
      }
      if (!csv) {
        for (const auto& f : a.fields) k += " {" + f.name + "=" + f.value + "}";
      }
      k += "\n";
    }
  }
  if (!csv) {
    for (const auto& n : m.notes)
      k += "note " + n.marker + "@" + std::to_string(n.after_section) + " " + n.text + "\n";
    for (const auto& o : m.options) k += "option " + o.id + " " + o.marker + " " + o.text + "\n";
    if (m.gray_zone) k += "gray " + m.gray_zone->text + "\n";
    for (const auto& u : m.marker_uses) {
      k += "use " + u.marker + " " + std::to_string(u.section) + "/" + std::to_string(u.activity) +
           "/" + std::to_string(u.party) + "->" +
           (u.note >= 0 ? m.notes[static_cast<std::size_t>(u.note)].text : "none") + "\n";
    }
  }
  return k;
}

std::vector<std::string> inputs() {
  std::vector<std::string> out = {source_dir() + "/data/managed-kubernetes.md"};
  if (corpus_dir().empty()) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(corpus_dir())) {
    const std::string p = e.path().string();
    if (p.ends_with(".md") && p.find("-raci") != std::string::npos) out.push_back(p);
  }
  std::sort(out.begin() + 1, out.end());
  return out;
}

Matrix read(const std::string& path) {
  auto src = load_file(path, Limits{});
  EXPECT_TRUE(src.ok()) << path;
  ReadOptions o;
  o.id = matrix_id_from_path(path);
  auto m = read_document(*src, format_of_path(path), o);
  EXPECT_TRUE(m.ok()) << path << ": " << (m.ok() ? "" : m.error().to_string());
  return std::move(*m);
}

Matrix read_matrix_text(const std::string& text, const std::string& name, Format f) {
  auto src = load_text(text, name, Limits{});
  EXPECT_TRUE(src.ok()) << name;
  auto m = read_document(*src, f, ReadOptions{});
  EXPECT_TRUE(m.ok()) << name << ": " << (m.ok() ? "" : m.error().to_string());
  return m.ok() ? std::move(*m) : Matrix{};
}

}  // namespace

TEST(CorpusFormats, RoundTripsThroughEveryFormat) {
  if (corpus_dir().empty()) partial(corpus_absent(), "only the seed is checked");
  const auto files = inputs();
  for (const auto& path : files) {
    const Matrix md = read(path);
    for (const Format f : {Format::yaml, Format::json, Format::csv}) {
      const std::string doc = write_document(md, f);
      const Matrix back = read_matrix_text(doc, path + "." + std::string(format_name(f)), f);
      const bool csv = f == Format::csv;
      EXPECT_EQ(model_key(back, csv), model_key(md, csv)) << path << " via " << format_name(f);
      // Written again from what was read back: the same document (YAML and JSON give
      // lines, which then point into the YAML or JSON).
      if (csv) {
        EXPECT_TRUE(write_document(back, f) == doc) << path << " via csv";
      }
    }
    // Canonical Markdown too reads back to the same model.
    const Matrix again = read_matrix_text(write_document(md, Format::markdown),
                                          path + ".canonical.md", Format::markdown);
    EXPECT_EQ(model_key(again, true), model_key(md, true)) << path << " via canonical Markdown";
  }
  EXPECT_EQ(files.size(), corpus_dir().empty() ? 1U : 36U);
}

TEST(CorpusFormats, FmtIsIdempotentAndKeepsEverythingElse) {
  for (const auto& path : inputs()) {
    const Matrix md = read(path);
    const std::string before(md.source->text());
    const std::string once = format_markdown(md);
    const Matrix formatted = read_matrix_text(once, path + ".fmt", Format::markdown);
    EXPECT_EQ(format_markdown(formatted), once) << path << ": a second run changes it";
    // The tables say the same thing (ids, titles, roles, markers, notes).
    EXPECT_EQ(model_key(formatted, true), model_key(md, true)) << path;
    // Every line that is not a rewritten table line is byte for byte the same.
    std::vector<bool> table_line(md.source->line_count() + 2, false);
    for (const auto& t : md.tables) {
      const std::uint32_t first = md.source->position(t.span.begin).line;
      table_line[first] = table_line[first + 1] = true;
    }
    for (const auto& s : md.sections) {
      for (const auto& a : s.activities) table_line[md.source->position(a.span.begin).line] = true;
    }
    ASSERT_EQ(formatted.source->line_count(), md.source->line_count()) << path;
    for (std::uint32_t l = 1; l <= md.source->line_count(); ++l) {
      if (!table_line[l]) {
        EXPECT_EQ(formatted.source->line(l), md.source->line(l)) << path << ":" << l;
      }
    }
  }
}

}  // namespace racine::test
