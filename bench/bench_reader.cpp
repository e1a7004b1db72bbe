// Google Benchmark of the library's stages on a synthetic matrix of 100,000 activities
// x 4 parties (~5 MB, made in memory): md4c and cmark-gfm parse-only for reference,
// racine's pre-scan, reader and linter; and lookups on the built-in matrix.

#include <benchmark/benchmark.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <md4c.h>

#include <string>

#include "formats/loader.h"
#include "formats/markdown_prescan.h"
#include "formats/markdown_reader.h"
#include "lint/linter.h"
#include "query/index.h"

namespace {

const std::string& document() {
  static const std::string doc = [] {
    std::string out = "# Synthetic matrix\n";
    static const char* const k_roles[] = {"RA", "C", "I", "", "CI", "R"};
    for (long a = 0; a < 100000; ++a) {
      if (a % 1000 == 0)
        out += "\n## Section " + std::to_string(a / 1000) +
               "\n\n| Activity | P0 | P1 | P2 | P3 |\n|---|---|---|---|---|\n";
      out += "| Operate service component " + std::to_string(a) + " | RA";
      for (int p = 1; p < 4; ++p)
        out += std::string(" | ") + k_roles[1 + static_cast<std::size_t>((a + p) % 5)];
      out += " |\n";
    }
    return out;
  }();
  return doc;
}

racine::Limits limits() {
  racine::Limits l;
  l.max_bytes = 1ULL << 30;
  return l;
}

void BM_Md4cParse(benchmark::State& state) {
  const std::string& doc = document();
  MD_PARSER parser{};
  parser.flags = MD_FLAG_TABLES;
  parser.enter_block = [](MD_BLOCKTYPE, void*, void*) { return 0; };
  parser.leave_block = [](MD_BLOCKTYPE, void*, void*) { return 0; };
  parser.enter_span = [](MD_SPANTYPE, void*, void*) { return 0; };
  parser.leave_span = [](MD_SPANTYPE, void*, void*) { return 0; };
  parser.text = [](MD_TEXTTYPE, const MD_CHAR*, MD_SIZE, void*) { return 0; };
  for (auto _ : state) md_parse(doc.data(), static_cast<MD_SIZE>(doc.size()), &parser, nullptr);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.size()));
}

void BM_CmarkParse(benchmark::State& state) {
  const std::string& doc = document();
  cmark_gfm_core_extensions_ensure_registered();
  for (auto _ : state) {
    cmark_parser* p = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
    cmark_parser_feed(p, doc.data(), doc.size());
    cmark_node* root = cmark_parser_finish(p);
    cmark_node_free(root);
    cmark_parser_free(p);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.size()));
}

void BM_Prescan(benchmark::State& state) {
  const racine::SourceFile src("bench.md", document());
  for (auto _ : state) benchmark::DoNotOptimize(racine::prescan_markdown(src, limits()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * document().size()));
}

void BM_ReadMarkdown(benchmark::State& state) {
  auto src = racine::load_text(document(), "bench.md", limits());
  racine::ReadOptions o;
  o.limits = limits();
  for (auto _ : state) {
    auto m = racine::read_markdown(*src, o);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * document().size()));
}

void BM_Lint(benchmark::State& state) {
  auto src = racine::load_text(document(), "bench.md", limits());
  racine::ReadOptions o;
  o.limits = limits();
  auto m = racine::read_markdown(*src, o);
  for (auto _ : state) benchmark::DoNotOptimize(racine::lint::run(*m, {}));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * m->activity_count()));
}

const racine::Matrix& seed() {
  static const racine::Matrix m = [] {
    racine::ReadOptions o;
    return std::move(*racine::read_markdown(racine::builtin_matrix(), o));
  }();
  return m;
}

void BM_SeedIndexBuild(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(racine::query::Index::build(seed()));
}

void BM_SeedWho(benchmark::State& state) {
  const auto index = racine::query::Index::build(seed());
  for (auto _ : state)
    benchmark::DoNotOptimize(index.search("qui sauvegarde les applications ?", 5));
}

}  // namespace

BENCHMARK(BM_Md4cParse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CmarkParse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Prescan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadMarkdown)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Lint)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SeedIndexBuild)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SeedWho)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
