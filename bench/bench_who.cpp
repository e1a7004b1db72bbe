// Lookup speed on a generated matrix: the time to build the search index of N
// activities (default 1M), the latency of `who` over 1,000 queries (p50, p99), and, in
// the same run, the same queries answered by a linear scan over the same titles (each
// title folded once beforehand; a query counts the query words each title contains).
// Usage: bench_who [ACTIVITIES] [SCANNED_QUERIES]

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/matrix.h"
#include "core/text.h"
#include "query/index.h"
#include "vocabulary.h"

namespace {

using Clock = std::chrono::steady_clock;
using racine::bench::vocabulary;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1'000'000;
  const std::size_t scanned = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 100;
  constexpr std::size_t k_queries = 1000;
  std::mt19937 rng(42);
  const auto words = vocabulary(rng, 20'000);
  racine::bench::Zipf zipf(words.size());
  auto pick = [&] { return zipf(rng); };
  std::uniform_int_distribution<int> title_len(5, 9);

  racine::Matrix m;
  m.language = "en";
  for (int p = 0; p < 4; ++p)
    m.parties.push_back({"party-" + std::to_string(p), "Party " + std::to_string(p), {}});
  std::vector<std::vector<std::size_t>> title_words;
  title_words.reserve(n);
  for (std::size_t a = 0; a < n; ++a) {
    if (a % 1000 == 0) m.sections.push_back({"Section " + std::to_string(a / 1000), 2, {}, {}});
    racine::Activity act;
    std::vector<std::size_t> ws;
    for (int i = title_len(rng); i > 0; --i) ws.push_back(pick());
    for (const auto w : ws) act.title += (act.title.empty() ? "" : " ") + words[w];
    act.cells.resize(4);
    m.sections.back().activities.push_back(std::move(act));
    title_words.push_back(std::move(ws));
  }

  // Queries: two or three consecutive words of a random title; one in five with a typo.
  std::vector<std::string> queries;
  std::uniform_int_distribution<std::size_t> any(0, n - 1);
  for (std::size_t q = 0; q < k_queries; ++q) {
    const auto& ws = title_words[any(rng)];
    const std::size_t k = 2 + q % 2;
    const std::size_t from = std::uniform_int_distribution<std::size_t>(0, ws.size() - k)(rng);
    std::string query;
    for (std::size_t i = from; i < from + k; ++i)
      query += (query.empty() ? "" : " ") + words[ws[i]];
    if (q % 5 == 0 && query.size() > 6) std::swap(query[3], query[4]);
    queries.push_back(std::move(query));
  }

  auto t = Clock::now();
  const racine::query::Index index = racine::query::Index::build(m);
  const double build_ms = ms_since(t);

  std::vector<double> lat;
  std::size_t answered = 0;
  for (const auto& q : queries) {
    t = Clock::now();
    const auto a = index.search(q, 10);
    lat.push_back(ms_since(t));
    answered += a.matches.empty() ? 0U : 1U;
  }

  // Throughput on the one shared index: every thread answers all the queries, 3 times,
  // with 1 thread then 2 (the server's case: each thread has its own stemmers). Each
  // thread's top answers are checked against the single-threaded ones.
  auto key = [](const racine::query::Answer& a) {
    return a.matches.empty()
               ? UINT64_MAX
               : (std::uint64_t{a.matches.front().section} << 32U) | a.matches.front().activity;
  };
  std::vector<std::uint64_t> expected_top;
  for (const auto& q : queries) {
    const auto a = index.search(q, 10);
    expected_top.push_back(key(a));
  }
  auto throughput = [&](unsigned threads) {
    constexpr int k_passes = 3;
    std::vector<std::size_t> wrong(threads, 0);
    const auto start = Clock::now();
    std::vector<std::thread> pool;
    for (unsigned th = 0; th < threads; ++th) {
      pool.emplace_back([&, th] {
        for (int pass = 0; pass < k_passes; ++pass) {
          for (std::size_t i = 0; i < queries.size(); ++i) {
            const auto a = index.search(queries[i], 10);
            const std::uint64_t top = key(a);
            if (top != expected_top[i]) ++wrong[th];
          }
        }
      });
    }
    for (auto& p : pool) p.join();
    const double seconds = ms_since(start) / 1000.0;
    std::size_t wrong_total = 0;
    for (const auto w : wrong) wrong_total += w;
    const double total =
        static_cast<double>(threads) * k_passes * static_cast<double>(queries.size());
    return std::pair<double, std::size_t>{total / seconds, wrong_total};
  };
  const auto [one_rate, one_wrong] = throughput(1);
  const auto [two_rate, two_wrong] = throughput(2);

  // The baseline: every title folded once, then each query scans them all.
  std::vector<std::string> folded;
  folded.reserve(n);
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) folded.push_back(racine::text::fold(a.title));
  }
  std::vector<double> scan;
  for (std::size_t i = 0; i < std::min(scanned, queries.size()); ++i) {
    t = Clock::now();
    const auto qw = racine::text::words(racine::text::fold(queries[i]));
    std::vector<std::pair<int, std::size_t>> best;
    for (std::size_t d = 0; d < folded.size(); ++d) {
      int hits = 0;
      for (const auto& w : qw) hits += folded[d].find(w) != std::string::npos ? 1 : 0;
      if (hits > 0) best.emplace_back(-hits, d);
    }
    const std::size_t k = std::min<std::size_t>(10, best.size());
    std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(k), best.end());
    scan.push_back(ms_since(t));
  }

  std::printf("who on %zu generated activities (%zu index terms)\n", n, index.terms());
  std::printf("  index build: %.0f ms\n", build_ms);
  std::printf("  index search, %zu queries: p50 %.3f ms, p99 %.3f ms (%zu answered)\n",
              queries.size(), percentile(lat, 0.5), percentile(lat, 0.99), answered);
  std::printf("  linear scan, %zu queries:  p50 %.3f ms, p99 %.3f ms\n", scan.size(),
              percentile(scan, 0.5), percentile(scan, 0.99));
  std::printf("  linear scan / index, p50: %.0fx (targets: p50 <= 1 ms, >= 100x)\n",
              percentile(scan, 0.5) / percentile(lat, 0.5));
  std::printf(
      "  lookups per second on the shared index: 1 thread %.0f, 2 threads %.0f (%.2fx; "
      "answers differing from one thread's: %zu)\n",
      one_rate, two_rate, two_rate / one_rate, one_wrong + two_wrong);
  return 0;
}
