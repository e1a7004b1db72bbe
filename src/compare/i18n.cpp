#include "compare/i18n.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/text.h"
#include "query/analyzer.h"

namespace racine::compare {

using query::Analyzer;
using query::Language;
using query::language_from_code;

namespace {

constexpr double k_row_threshold = 0.35;  // a pair scoring less is no pair
constexpr double k_section_threshold = 0.25;
constexpr std::size_t k_max_cells = 4'000'000;  // above this, rows are aligned by position

// What an activity keeps whatever its language.
struct Features {
  std::set<std::string> title;     // glossary concepts, numbers, acronyms, names
  std::vector<std::string> roles;  // per party position
  std::vector<std::vector<std::string>> markers;
  std::vector<std::string> title_markers;
};

std::set<std::string> title_features(Analyzer& an, std::string_view title, Language lang) {
  std::set<std::string> out;
  for (const auto& t : an.analyse(title, lang)) {
    if (t.term.starts_with('~')) out.insert(t.term);
  }
  // Words that translation leaves alone: with a digit, in capitals (CI/CD, RBAC, TLS), or
  // capitalised after the first word (Kubernetes, OpenShift).
  std::string word;
  bool first = true;
  auto flush = [&] {
    if (word.empty()) return;
    const bool digit = std::any_of(word.begin(), word.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    const bool caps = word.size() >= 2 && std::all_of(word.begin(), word.end(), [](char c) {
                        return std::isupper(static_cast<unsigned char>(c)) != 0 ||
                               std::isdigit(static_cast<unsigned char>(c)) != 0;
                      });
    const bool name =
        !first && std::isupper(static_cast<unsigned char>(word[0])) != 0 && word.size() >= 3;
    if (digit || caps || name) out.insert(text::fold(word));
    first = false;
    word.clear();
  };
  for (const char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

Features features_of(Analyzer& an, const Matrix& m, const Activity& a) {
  Features f;
  f.title = title_features(an, a.title, language_from_code(m.language));
  for (const auto& c : a.cells) {
    f.roles.push_back(c.present ? c.roles.to_string() : "-");
    f.markers.push_back(c.markers());
  }
  f.title_markers = a.title_markers;
  return f;
}

double similarity(const Features& a, const Features& b) {
  double title = 0.5;
  if (!a.title.empty() || !b.title.empty()) {
    std::size_t common = 0;
    for (const auto& t : a.title) common += b.title.contains(t) ? 1U : 0U;
    title =
        static_cast<double>(common) / static_cast<double>(a.title.size() + b.title.size() - common);
  }
  const std::size_t n = std::min(a.roles.size(), b.roles.size());
  double roles = 0;
  double markers = 1;
  for (std::size_t p = 0; p < n; ++p) {
    roles += a.roles[p] == b.roles[p] ? 1 : 0;
    if (a.markers[p] != b.markers[p]) markers = 0;
  }
  roles = n == 0 ? 0 : roles / static_cast<double>(n);
  return 0.5 * title + 0.4 * roles + 0.1 * markers;
}

// Pairs (i, j) in order that maximise the sum of (score - threshold); everything else
// is left unpaired. Falls back to position when the table would be too large.
template <typename Score>
std::vector<std::pair<std::size_t, std::size_t>> align(std::size_t n, std::size_t m,
                                                       double threshold, Score score) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (n * m > k_max_cells) {
    for (std::size_t k = 0; k < std::min(n, m); ++k) out.emplace_back(k, k);
    return out;
  }
  std::vector<double> best((n + 1) * (m + 1), 0);
  std::vector<double> pair(n * m, 0);
  auto B = [&](std::size_t i, std::size_t j) -> double& { return best[i * (m + 1) + j]; };
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const double s = score(i - 1, j - 1) - threshold;
      pair[(i - 1) * m + (j - 1)] = s;
      B(i, j) = std::max({B(i - 1, j), B(i, j - 1), s > 0 ? B(i - 1, j - 1) + s : B(i - 1, j - 1)});
    }
  }
  std::size_t i = n;
  std::size_t j = m;
  while (i > 0 && j > 0) {
    const double s = pair[(i - 1) * m + (j - 1)];
    if (s > 0 && B(i, j) == B(i - 1, j - 1) + s) {
      out.emplace_back(i - 1, j - 1);
      --i;
      --j;
    } else if (B(i, j) == B(i - 1, j)) {
      --i;
    } else {
      --j;
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// Between two consecutive pairs, as many unpaired items on each side are the same items
// rewritten (a substitution in place): they pair up in order. Gaps of unequal sizes are
// insertions and deletions.
void pair_gaps(std::vector<std::pair<std::size_t, std::size_t>>& pairs, std::size_t n,
               std::size_t m) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t i = 0;
  std::size_t j = 0;
  auto gap = [&](std::size_t to_i, std::size_t to_j) {
    if (to_i - i == to_j - j) {
      for (; i < to_i; ++i, ++j) out.emplace_back(i, j);
    }
  };
  for (const auto& [pi, pj] : pairs) {
    gap(pi, pj);
    out.emplace_back(pi, pj);
    i = pi + 1;
    j = pj + 1;
  }
  gap(n, m);
  pairs = std::move(out);
}

std::string joined_quoted(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s;
  return out.empty() ? "none" : "'" + out + "'";
}

}  // namespace

double row_similarity(const Matrix& source, const Activity& a, const Matrix& translation,
                      const Activity& b) {
  Analyzer an;
  return similarity(features_of(an, source, a), features_of(an, translation, b));
}

std::vector<Diagnostic> compare_translation(const Matrix& source, const Matrix& translation) {
  std::vector<Diagnostic> out;
  auto line_in_source = [&](Span s) {
    return source.source ? source.source->position(s.begin).line : 0U;
  };
  auto report = [&](std::string_view code, Severity sev, Span at, std::string message,
                    std::string activity = {}) {
    out.push_back({std::string(code), sev, at, std::move(message), std::move(activity)});
  };
  if (source.parties.size() != translation.parties.size() && !translation.tables.empty()) {
    report("RAC402", Severity::error, translation.tables.front().span,
           fmt::format("the translation has {} parties and the source {}: parties are compared by "
                       "column, the first {}",
                       translation.parties.size(), source.parties.size(),
                       std::min(source.parties.size(), translation.parties.size())));
  }
  Analyzer an;
  std::vector<std::vector<Features>> fs(source.sections.size());
  std::vector<std::vector<Features>> ft(translation.sections.size());
  for (std::size_t s = 0; s < source.sections.size(); ++s) {
    for (const auto& a : source.sections[s].activities) fs[s].push_back(features_of(an, source, a));
  }
  for (std::size_t s = 0; s < translation.sections.size(); ++s) {
    for (const auto& a : translation.sections[s].activities)
      ft[s].push_back(features_of(an, translation, a));
  }
  // Rows of every section pair, aligned once and kept for the report.
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::pair<std::size_t, std::size_t>>>
      aligned;
  auto rows = [&](std::size_t s,
                  std::size_t t) -> const std::vector<std::pair<std::size_t, std::size_t>>& {
    const auto known = aligned.find({s, t});
    if (known != aligned.end()) return known->second;
    auto pairs =
        align(fs[s].size(), ft[t].size(), k_row_threshold,
              [&](std::size_t i, std::size_t j) { return similarity(fs[s][i], ft[t][j]); });
    pair_gaps(pairs, fs[s].size(), ft[t].size());
    return aligned.emplace(std::pair{s, t}, std::move(pairs)).first->second;
  };
  const Language ls = language_from_code(source.language);
  const Language lt = language_from_code(translation.language);
  auto section_score = [&](std::size_t s, std::size_t t) {
    const auto& pairs = rows(s, t);
    double sum = 0;
    for (const auto& [i, j] : pairs) sum += similarity(fs[s][i], ft[t][j]);
    const std::size_t most = std::max(fs[s].size(), ft[t].size());
    const auto a = title_features(an, source.sections[s].title, ls);
    const auto b = title_features(an, translation.sections[t].title, lt);
    std::size_t common = 0;
    for (const auto& x : a) common += b.contains(x) ? 1U : 0U;
    const double title =
        a.empty() && b.empty()
            ? 0.5
            : static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
    return 0.8 * (most == 0 ? 0 : sum / static_cast<double>(most)) + 0.2 * title;
  };
  // Scoring every pair of sections aligns their rows: affordable while the two matrices'
  // activities multiply to less than k_max_cells; beyond, sections pair by position.
  // Beyond, rows within a pair of sections could still be scored pairwise, but only
  // where they multiply to less than k_max_cells too (align): said once, here.
  std::vector<std::pair<std::size_t, std::size_t>> sections;
  if (source.activity_count() * translation.activity_count() > k_max_cells) {
    for (std::size_t k = 0; k < std::min(source.sections.size(), translation.sections.size()); ++k)
      sections.emplace_back(k, k);
    report("RAC401", Severity::error,
           translation.tables.empty() ? Span{} : translation.tables.front().span,
           fmt::format("the source has {} activities and the translation {}: more than {} pairs to "
                       "score, so sections "
                       "are paired by position, and rows too in sections whose pairs exceed it; a "
                       "row or section "
                       "inserted or deleted there shifts the ones after it",
                       source.activity_count(), translation.activity_count(), k_max_cells));
  } else {
    sections = align(source.sections.size(), translation.sections.size(), k_section_threshold,
                     section_score);
  }
  pair_gaps(sections, source.sections.size(), translation.sections.size());

  std::vector<bool> source_paired(source.sections.size(), false);
  std::vector<bool> translation_paired(translation.sections.size(), false);
  for (const auto& [s, t] : sections) {
    source_paired[s] = true;
    translation_paired[t] = true;
  }
  // Sections without counterpart.
  for (std::size_t s = 0; s < source.sections.size(); ++s) {
    if (source_paired[s]) continue;
    // Where it would be: the next paired translation section, else the last one.
    Span at = translation.sections.empty() ? Span{} : translation.sections.back().span;
    for (const auto& [ps, pt] : sections) {
      if (ps > s) {
        at = translation.sections[pt].span;
        break;
      }
    }
    report(
        "RAC401", Severity::error, at,
        fmt::format(
            "section '{}' of the source (line {}, {} activities) is missing from the translation",
            source.sections[s].title, line_in_source(source.sections[s].span),
            source.sections[s].activities.size()));
  }
  for (std::size_t t = 0; t < translation.sections.size(); ++t) {
    if (translation_paired[t]) continue;
    report("RAC401", Severity::error, translation.sections[t].span,
           fmt::format("section '{}' ({} activities) has no counterpart in the source",
                       translation.sections[t].title, translation.sections[t].activities.size()));
  }
  for (const auto& [s, t] : sections) {
    const Section& ss = source.sections[s];
    const Section& ts = translation.sections[t];
    const auto& pairs = rows(s, t);
    std::vector<bool> src_row(ss.activities.size(), false);
    std::vector<bool> tr_row(ts.activities.size(), false);
    for (const auto& [i, j] : pairs) {
      src_row[i] = true;
      tr_row[j] = true;
    }
    if (pairs.size() != ss.activities.size() || pairs.size() != ts.activities.size()) {
      std::string missing;
      for (std::size_t i = 0; i < ss.activities.size(); ++i) {
        if (src_row[i]) continue;
        missing += fmt::format("{}'{}' (line {})", missing.empty() ? "" : ", ",
                               ss.activities[i].title, line_in_source(ss.activities[i].span));
      }
      const std::string counts =
          ss.activities.size() == ts.activities.size()
              ? fmt::format(
                    "section '{}' has as many activities as the source's '{}' ({}) but not the "
                    "same ones",
                    ts.title, ss.title, ts.activities.size())
              : fmt::format("section '{}' has {} activities and the source's '{}' {}", ts.title,
                            ts.activities.size(), ss.title, ss.activities.size());
      report("RAC401", Severity::error, ts.span,
             counts + (missing.empty() ? "" : "; no counterpart for " + missing));
      for (std::size_t j = 0; j < ts.activities.size(); ++j) {
        if (tr_row[j]) continue;
        report("RAC401", Severity::error, ts.activities[j].span,
               "this activity has no counterpart in the source", ts.activities[j].title);
      }
    }
    for (const auto& [i, j] : pairs) {
      const Activity& a = ss.activities[i];
      const Activity& b = ts.activities[j];
      const std::uint32_t src_line = line_in_source(a.span);
      const std::size_t n = std::min(a.cells.size(), b.cells.size());
      for (std::size_t p = 0; p < n; ++p) {
        const Cell& ca = a.cells[p];
        const Cell& cb = b.cells[p];
        const Span at = cb.present ? cb.span : b.span;
        if (ca.roles != cb.roles) {
          report("RAC402", Severity::error, at,
                 fmt::format("{} has '{}' here and '{}' in the source (line {})",
                             translation.parties[p].name, cb.roles.to_string(),
                             ca.roles.to_string(), src_line),
                 b.title);
        }
        if (ca.markers() != cb.markers()) {
          report("RAC403", Severity::warning, at,
                 fmt::format("markers of {} are {} here and {} in the source (line {})",
                             translation.parties[p].name, joined_quoted(cb.markers()),
                             joined_quoted(ca.markers()), src_line),
                 b.title);
        }
      }
      if (a.title_markers != b.title_markers) {
        report(
            "RAC403", Severity::warning, b.span,
            fmt::format("markers of the title are {} here and {} in the source (line {})",
                        joined_quoted(b.title_markers), joined_quoted(a.title_markers), src_line),
            b.title);
      }
    }
  }
  return out;
}

}  // namespace racine::compare
