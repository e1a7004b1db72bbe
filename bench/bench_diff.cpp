// Diff speed: two versions of a generated matrix of N activities (titles of 4 to 7 words
// drawn with Zipf frequencies from 20,000 words, no ids, so every activity is matched by
// title or by similarity), the new one with 3% of the activities deleted, 3% renamed
// (one word replaced; RENAMED_PERCENT), 2% with a typo, 2% moved to another section, 5%
// with other roles and 2% added. Prints the best time of `racine::compare::diff` over RUNS runs,
// next to the baseline of the same run: tokenising every title of both versions once (what any
// title-matching diff has to do at least), and what the diff found, so that two builds
// can be checked to find the same.
// Usage: bench_diff [ACTIVITIES] [ROWS_PER_SECTION (0: one single section)] [RUNS]
//                   [RENAMED_PERCENT (default 3; 100: every title reworded)]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "compare/diff.h"
#include "core/matrix.h"
#include "core/text.h"
#include "vocabulary.h"

namespace {

using Clock = std::chrono::steady_clock;
using racine::bench::vocabulary;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 4000;
  const std::size_t per_section = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 50;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 3;
  const int renamed_percent = argc > 4 ? std::atoi(argv[4]) : 3;
  constexpr int k_parties = 4;
  std::mt19937 rng(7);
  const auto words = vocabulary(rng, 20'000);
  racine::bench::Zipf zipf(words.size());
  auto pick = [&] { return words[zipf(rng)]; };
  static const char* const k_roles[] = {"RA", "C", "I", "", "CI", "R"};
  auto activity = [&](std::size_t a) {
    racine::Activity act;
    for (int i = std::uniform_int_distribution<int>(4, 7)(rng); i > 0; --i) {
      if (!act.title.empty()) act.title += ' ';
      act.title += pick();
    }
    for (int p = 0; p < k_parties; ++p) {
      racine::Cell c;
      c.present = true;
      c.roles = racine::RoleSet::from_letters(
          p == 0 ? "RA" : k_roles[1 + (a + static_cast<std::size_t>(p)) % 5]);
      act.cells.push_back(std::move(c));
    }
    return act;
  };

  racine::Matrix before;
  before.language = "en";
  for (int p = 0; p < k_parties; ++p)
    before.parties.push_back({"party-" + std::to_string(p), "Party " + std::to_string(p), {}});
  racine::Matrix after = before;
  const std::size_t sections = per_section == 0 ? 1 : (n + per_section - 1) / per_section;
  for (std::size_t s = 0; s < sections; ++s) {
    before.sections.push_back({"Section " + std::to_string(s), 2, {}, {}});
    after.sections.push_back({"Section " + std::to_string(s), 2, {}, {}});
  }
  for (std::size_t a = 0; a < n; ++a) {
    before.sections[per_section == 0 ? 0 : a / per_section].activities.push_back(activity(a));
  }
  std::size_t deleted = 0;
  std::size_t renamed = 0;
  std::size_t typos = 0;
  std::size_t moved = 0;
  std::size_t role_changes = 0;
  std::size_t added = 0;
  std::uniform_int_distribution<int> percent(0, 99);
  for (std::size_t s = 0; s < sections; ++s) {
    for (const auto& a : before.sections[s].activities) {
      const int r = percent(rng);
      if (r < 3) {  // deleted
        ++deleted;
        continue;
      }
      racine::Activity b = a;
      std::size_t to = s;
      if (percent(rng) < renamed_percent) {  // one word replaced
        const auto ws = racine::text::words(b.title);
        const std::string& old_word = ws[static_cast<std::size_t>(percent(rng)) % ws.size()];
        b.title.replace(b.title.find(old_word), old_word.size(), pick());
        ++renamed;
      } else if (r < 5) {  // a typo in the longest word
        const auto ws = racine::text::words(b.title);
        const auto& w = *std::max_element(
            ws.begin(), ws.end(), [](const auto& x, const auto& y) { return x.size() < y.size(); });
        const std::size_t at = b.title.find(w) + 1;
        std::swap(b.title[at], b.title[at + 1]);
        ++typos;
      }
      if (r >= 5 && r < 7 && sections > 1) {  // moved
        to = (s + 1 + static_cast<std::size_t>(percent(rng)) % (sections - 1)) % sections;
        ++moved;
      } else if (r >= 7 && r < 12) {  // other roles
        b.cells[1].roles =
            racine::RoleSet::from_letters(b.cells[1].roles.to_string() == "R" ? "C" : "R");
        ++role_changes;
      }
      after.sections[to].activities.push_back(std::move(b));
      if (percent(rng) < 2) {
        after.sections[to].activities.push_back(activity(n + added));
        ++added;
      }
    }
  }

  // The baseline: every title of both versions tokenised once.
  double baseline = 1e9;
  std::size_t tokens = 0;
  for (int r = 0; r < runs; ++r) {
    const auto t = Clock::now();
    tokens = 0;
    for (const auto* m : {&before, &after}) {
      for (const auto& s : m->sections) {
        for (const auto& a : s.activities)
          tokens += racine::text::words(racine::text::fold(a.title)).size();
      }
    }
    baseline = std::min(baseline, seconds_since(t));
  }
  double best = 1e9;
  racine::compare::Diff d;
  for (int r = 0; r < runs; ++r) {
    const auto t = Clock::now();
    d = racine::compare::diff(before, after);
    best = std::min(best, seconds_since(t));
  }
  std::size_t kinds[5] = {0, 0, 0, 0, 0};
  for (const auto& c : d.changes) {
    for (const auto k : c.kinds) ++kinds[static_cast<std::size_t>(k)];
  }
  std::printf(
      "diff of two versions of %zu activities (%s; %zu deleted, %zu renamed, %zu typos, %zu moved, "
      "%zu with other roles, %zu added)\n",
      n,
      per_section == 0 ? "one section"
                       : ("sections of " + std::to_string(per_section) + " rows").c_str(),
      deleted, renamed, typos, moved, role_changes, added);
  std::printf("  tokenising both versions once (baseline): %.3f s (%zu words)\n", baseline, tokens);
  std::printf("  diff (best of %d): %.3f s (%.1fx the baseline)\n", runs, best, best / baseline);
  std::printf(
      "  found: matched by title %zu, by similarity %zu; %zu added, %zu removed, %zu moved, %zu "
      "retitled, "
      "%zu changed\n",
      d.matched_by[1], d.matched_by[2], kinds[0], kinds[1], kinds[2], kinds[3], kinds[4]);
  return 0;
}
