#include "compare/diff.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/text.h"
#include "query/glossary.h"
#include "resolve/options.h"

namespace racine::compare {

using query::is_stop_word;

namespace {

// A title as matching sees it: folded, markers gone, spaces collapsed.
std::string norm_title(std::string_view t) {
  std::string s = text::fold(t);
  std::erase(s, '*');
  return text::collapse_spaces(s);
}

// The title as written, markers aside.
std::string plain_title(std::string_view t) {
  std::string s(t);
  std::erase(s, '*');
  return text::collapse_spaces(s);
}

// An id both sides may state: a canonical or CSV id, or an ID column's value.
std::string id_key(const Activity& a) {
  if (a.explicit_id) return "id:" + a.id;
  for (const auto& f : a.fields) {
    const std::string n = text::fold(f.name);
    if ((n == "id" || n == "ref" || n == "#" || n == "no" || n == "reference") &&
        !text::trim(f.value).empty()) {
      return "field:" + text::collapse_spaces(f.value);
    }
  }
  return "";
}

std::vector<std::string> content_words(std::string_view t) {
  std::vector<std::string> out;
  for (auto& w : text::words(text::fold(t))) {
    if (!is_stop_word(w)) out.push_back(std::move(w));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<ActivityRef> refs_of(const Matrix& m) {
  std::vector<ActivityRef> out;
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    for (std::uint32_t a = 0; a < m.sections[s].activities.size(); ++a) out.push_back({s, a});
  }
  return out;
}

const Activity& activity_at(const Matrix& m, ActivityRef r) {
  return m.sections[r.section].activities[r.activity];
}

// Roles and markers of `party` on `a` ("" and none when the party has no column there).
std::string roles_of(const Activity& a, int party) {
  if (party < 0 || static_cast<std::size_t>(party) >= a.cells.size()) return "";
  const Cell& c = a.cells[static_cast<std::size_t>(party)];
  return c.present ? c.roles.to_string() : "";
}

const std::vector<std::string>& markers_of(const Activity& a, int party) {
  static const std::vector<std::string> none;
  if (party < 0 || static_cast<std::size_t>(party) >= a.cells.size()) return none;
  return a.cells[static_cast<std::size_t>(party)].markers();
}

// roles_of(a, party) as bits: equal bits, equal strings (compared first, without them).
std::uint32_t role_bits(const Activity& a, int party) {
  if (party < 0 || static_cast<std::size_t>(party) >= a.cells.size()) return 0;
  const Cell& c = a.cells[static_cast<std::size_t>(party)];
  return c.present ? c.roles.bits() : 0;
}

// text::edit_distance(a, b) <= 1 (one byte substituted, inserted or deleted, or two
// adjacent bytes swapped), without filling its table.
bool within_one_edit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // the same, or one byte more at the end of b
  if (a.size() < b.size()) return a.substr(i) == b.substr(i + 1);
  if (a.substr(i + 1) == b.substr(i + 1)) return true;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);
}

// A word matches the same word, or one within a small typo (long words only).
bool similar_word(const std::string& w, const std::string& x) {
  return w.size() >= 6 && x.size() >= 6 && within_one_edit(w, x);
}

// title_similarity of two titles' content words.
double similarity(const std::vector<std::string>& wa, const std::vector<std::string>& wb) {
  if (wa.empty() || wb.empty()) return 0;
  std::size_t common = 0;
  for (const auto& w : wa) {
    const bool found =
        std::binary_search(wb.begin(), wb.end(), w) ||
        std::any_of(wb.begin(), wb.end(), [&](const std::string& x) { return similar_word(w, x); });
    common += found ? 1U : 0U;
  }
  return static_cast<double>(common) / static_cast<double>(wa.size() + wb.size() - common);
}

// The keys under which a word is indexed and looked up, hashed: the word, and for a long word the
// word without each one of its bytes. Two words that similar_word pairs share a key (a substitution
// or a transposition: the same byte deleted from both; an insertion: the shorter word is the longer
// one with a byte deleted). Two different keys may hash alike: that only adds a candidate, which is
// scored like any other.
template <typename Sink>
void word_keys(const std::string& w, std::string& buffer, Sink sink) {
  sink(std::hash<std::string_view>{}(w));
  if (w.size() < 6) return;
  for (std::size_t k = 0; k < w.size(); ++k) {
    buffer.assign(w, 0, k);
    buffer.append(w, k + 1);
    sink(std::hash<std::string_view>{}(buffer));
  }
}

// Step 3 of diff: activities left unmatched are paired by title similarity (at least
// 0.5) within corresponding sections, best pairs first. Every title is tokenised once;
// the candidates of an old activity are the new ones of its section sharing a key (see
// word_keys) with one of its rarest words, and of those, the ones whose words could reach
// 0.5: the pairs comparing every pair would find. A row keeps its k_max_candidates best
// candidates.
constexpr std::size_t k_max_candidates = 64;

template <typename PairUp>
void fuzzy_pairs(const Matrix& before, const Matrix& after, const std::vector<ActivityRef>& A,
                 const std::vector<ActivityRef>& B, const std::vector<int>& section_map,
                 const std::vector<int>& ma, const std::vector<int>& mb, PairUp pair_up) {
  // Sections of the new document some old section corresponds to.
  std::vector<bool> wanted(after.sections.size(), false);
  bool any = false;
  for (std::size_t i = 0; i < A.size(); ++i) {
    const int t = section_map[A[i].section];
    if (ma[i] < 0 && t >= 0) wanted[static_cast<std::size_t>(t)] = any = true;
  }
  if (!any) return;
  // The index: (section, key, new activity) of every unmatched new title, sorted, so
  // that a section is one run in it, and a key's new activities one run in that.
  struct Posting {
    std::uint32_t section;
    std::uint64_t key;
    std::uint32_t j;
    auto operator<=>(const Posting&) const = default;
  };
  std::vector<std::vector<std::string>> words_b(B.size());
  std::vector<Posting> index;
  std::string buffer;
  for (std::size_t j = 0; j < B.size(); ++j) {
    if (mb[j] >= 0 || !wanted[B[j].section]) continue;
    words_b[j] = content_words(activity_at(after, B[j]).title);
    for (const auto& w : words_b[j]) {
      word_keys(w, buffer, [&](std::uint64_t k) {
        index.push_back({B[j].section, k, static_cast<std::uint32_t>(j)});
      });
    }
  }
  std::sort(index.begin(), index.end());
  index.erase(std::unique(index.begin(), index.end()), index.end());
  using Run = std::pair<const Posting*, const Posting*>;
  auto postings_of = [](Run section, std::uint64_t k) -> Run {
    const auto by_key = [](const Posting& p, std::uint64_t key) { return p.key < key; };
    const auto key_by = [](std::uint64_t key, const Posting& p) { return key < p.key; };
    const Posting* from = std::lower_bound(section.first, section.second, k, by_key);
    return {from, std::upper_bound(from, section.second, k, key_by)};
  };
  struct Candidate {
    double score;
    std::size_t i;
    std::size_t j;
  };
  std::vector<Candidate> candidates;
  std::vector<Candidate> row;
  std::vector<std::uint32_t> hits(B.size(),
                                  0);  // scanned words of the old title that may match j's
  std::vector<std::size_t> word_seen(B.size(), 0);  // stamp of the last word that hit j
  std::vector<std::size_t> row_seen(B.size(), 0);   // stamp of the last row that hit j
  std::vector<std::uint32_t> touched;
  std::size_t word_stamp = 0;
  for (std::size_t i = 0; i < A.size(); ++i) {
    if (ma[i] >= 0 || section_map[A[i].section] < 0) continue;
    const auto section = static_cast<std::uint32_t>(section_map[A[i].section]);
    const auto by_section = [](const Posting& p, std::uint32_t s) { return p.section < s; };
    const auto section_by = [](std::uint32_t s, const Posting& p) { return s < p.section; };
    const Posting* const end = std::as_const(index).data() + index.size();
    const Posting* const begin =
        std::lower_bound(std::as_const(index).data(), end, section, by_section);
    const Run in_section{begin, std::upper_bound(begin, end, section, section_by)};
    if (in_section.first == in_section.second) continue;
    const auto wa = content_words(activity_at(before, A[i]).title);
    if (wa.empty()) continue;
    // A pair reaching 0.5 has c of the old title's na words found in the new one with
    // 3c >= na + nb >= na + 1 (two old words may find the same new one, so c may exceed
    // nb), so at least one among any na - ceil((na + 1) / 3) + 1 of them: the rarest,
    // whose postings are the shortest, are scanned.
    std::vector<std::vector<Run>> lists(wa.size());
    std::vector<std::pair<std::size_t, std::size_t>> order;  // (postings, word)
    for (std::size_t u = 0; u < wa.size(); ++u) {
      std::size_t size = 0;
      word_keys(wa[u], buffer, [&](std::uint64_t k) {
        const Run run = postings_of(in_section, k);
        if (run.first == run.second) return;
        lists[u].push_back(run);
        size += static_cast<std::size_t>(run.second - run.first);
      });
      order.emplace_back(size, u);
    }
    std::sort(order.begin(), order.end());
    const std::size_t scanned = wa.size() - (wa.size() + 3) / 3 + 1;
    touched.clear();
    const std::size_t row_stamp = i + 1;
    for (std::size_t o = 0; o < scanned; ++o) {
      ++word_stamp;
      for (const Run& run : lists[order[o].second]) {
        for (auto p = run.first; p != run.second; ++p) {
          const std::uint32_t j = p->j;
          if (word_seen[j] == word_stamp) continue;
          word_seen[j] = word_stamp;
          if (row_seen[j] != row_stamp) {
            row_seen[j] = row_stamp;
            hits[j] = 0;
            touched.push_back(j);
          }
          ++hits[j];
        }
      }
    }
    row.clear();
    for (const std::uint32_t j : touched) {
      // At most hits[j] words in common among the scanned ones, and the others: below
      // 0.5 whatever they are.
      if (3 * (hits[j] + wa.size() - scanned) < wa.size() + words_b[j].size()) continue;
      const double sim = similarity(wa, words_b[j]);
      if (sim >= 0.5) row.push_back({sim, i, j});
    }
    // In the new document's order, as comparing every pair would find them.
    std::sort(row.begin(), row.end(),
              [](const Candidate& x, const Candidate& y) { return x.j < y.j; });
    if (row.size() > k_max_candidates) {
      std::stable_sort(row.begin(), row.end(),
                       [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
      row.resize(k_max_candidates);
      std::sort(row.begin(), row.end(),
                [](const Candidate& x, const Candidate& y) { return x.j < y.j; });
    }
    candidates.insert(candidates.end(), row.begin(), row.end());
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
  for (const auto& c : candidates) {  // ma and mb are pair_up's own: they follow it
    if (ma[c.i] < 0 && mb[c.j] < 0) pair_up(c.i, c.j);
  }
}
}  // namespace

std::string_view match_name(MatchKind k) {
  switch (k) {
    case MatchKind::id: return "id";
    case MatchKind::title: return "title";
    case MatchKind::fuzzy: return "fuzzy";
    case MatchKind::none: break;
  }
  return "";
}

std::string_view change_name(ChangeKind k) {
  switch (k) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::moved: return "moved";
    case ChangeKind::retitled: return "retitled";
    case ChangeKind::changed: return "changed";
  }
  return "";
}

double title_similarity(std::string_view a, std::string_view b) {
  return similarity(content_words(a), content_words(b));
}

Diff diff(const Matrix& before, const Matrix& after) {
  Diff d;
  // Parties: by id, then by folded name.
  std::vector<int> party_after(before.parties.size(), -1);
  std::vector<bool> after_taken(after.parties.size(), false);
  for (std::size_t p = 0; p < before.parties.size(); ++p) {
    for (std::size_t q = 0; q < after.parties.size(); ++q) {
      if (after_taken[q]) continue;
      if (before.parties[p].id == after.parties[q].id ||
          text::fold(before.parties[p].name) == text::fold(after.parties[q].name)) {
        party_after[p] = static_cast<int>(q);
        after_taken[q] = true;
        break;
      }
    }
    if (party_after[p] < 0) d.parties_removed.push_back(before.parties[p].name);
  }
  for (std::size_t q = 0; q < after.parties.size(); ++q) {
    if (!after_taken[q]) d.parties_added.push_back(after.parties[q].name);
  }
  // Every party of either side, as (before index, after index).
  std::vector<std::pair<int, int>> parties;
  for (std::size_t p = 0; p < before.parties.size(); ++p)
    parties.emplace_back(static_cast<int>(p), party_after[p]);
  for (std::size_t q = 0; q < after.parties.size(); ++q) {
    if (!after_taken[q]) parties.emplace_back(-1, static_cast<int>(q));
  }
  auto party_name = [&](const std::pair<int, int>& p) {
    return p.second >= 0 ? after.parties[static_cast<std::size_t>(p.second)].name
                         : before.parties[static_cast<std::size_t>(p.first)].name;
  };

  const auto A = refs_of(before);
  const auto B = refs_of(after);
  std::vector<int> ma(A.size(), -1);
  std::vector<int> mb(B.size(), -1);
  std::vector<MatchKind> kind(A.size(), MatchKind::none);
  auto pair_up = [&](std::size_t i, std::size_t j, MatchKind k) {
    ma[i] = static_cast<int>(j);
    mb[j] = static_cast<int>(i);
    kind[i] = k;
    ++d.matched_by[static_cast<std::size_t>(k)];
  };
  // Every title and section title normalised once.
  std::vector<std::string> section_a;
  std::vector<std::string> section_b;
  for (const auto& s : before.sections) section_a.push_back(norm_title(s.title));
  for (const auto& s : after.sections) section_b.push_back(norm_title(s.title));

  // 1. Ids both sides state.
  {
    std::unordered_map<std::string, std::size_t> by_id;
    for (std::size_t j = 0; j < B.size(); ++j) {
      const std::string k = id_key(activity_at(after, B[j]));
      if (!k.empty()) by_id.emplace(k, j);
    }
    for (std::size_t i = 0; i < A.size(); ++i) {
      const std::string k = id_key(activity_at(before, A[i]));
      if (k.empty()) continue;
      const auto it = by_id.find(k);
      if (it != by_id.end() && mb[it->second] < 0) pair_up(i, it->second, MatchKind::id);
    }
  }
  // 2. Titles: the same title in the same section first, then anywhere, in order. Each
  // list of candidates keeps a cursor past its matched entries: a match is never undone.
  {
    struct Queue {
      std::vector<std::size_t> items;
      std::size_t next = 0;
    };
    auto first_free = [&](Queue& q) -> std::optional<std::size_t> {
      while (q.next < q.items.size() && mb[q.items[q.next]] >= 0) ++q.next;
      if (q.next == q.items.size()) return std::nullopt;
      return q.items[q.next];
    };
    // The key of a title in a section: the section's length first, so that no two
    // (section, title) pairs share a key.
    auto in_section = [](const std::string& section, const std::string& title) {
      return std::to_string(section.size()) + ':' + section + title;
    };
    std::vector<std::string> title_a(A.size());
    for (std::size_t i = 0; i < A.size(); ++i) {
      if (ma[i] < 0) title_a[i] = norm_title(activity_at(before, A[i]).title);
    }
    std::unordered_map<std::string, Queue> by_title;
    std::unordered_map<std::string, Queue> by_section_title;
    for (std::size_t j = 0; j < B.size(); ++j) {
      if (mb[j] >= 0) continue;
      std::string t = norm_title(activity_at(after, B[j]).title);
      by_section_title[in_section(section_b[B[j].section], t)].items.push_back(j);
      by_title[std::move(t)].items.push_back(j);
    }
    for (std::size_t i = 0; i < A.size(); ++i) {
      if (ma[i] >= 0) continue;
      const auto it = by_section_title.find(in_section(section_a[A[i].section], title_a[i]));
      if (it == by_section_title.end()) continue;
      if (const auto j = first_free(it->second)) pair_up(i, *j, MatchKind::title);
    }
    for (std::size_t i = 0; i < A.size(); ++i) {
      if (ma[i] >= 0) continue;
      const auto it = by_title.find(title_a[i]);
      if (it == by_title.end()) continue;
      if (const auto j = first_free(it->second)) pair_up(i, *j, MatchKind::title);
    }
  }
  // Which new section each old section became: the same title; else the one most of its
  // matched activities went to; else the next one left, in order. A section renamed
  // between versions is not a move.
  std::vector<int> section_map(before.sections.size(), -1);
  {
    std::vector<bool> used(after.sections.size(), false);
    std::unordered_map<std::string, std::vector<std::size_t>> by_title;  // in reverse order
    for (std::size_t t = after.sections.size(); t-- > 0;) by_title[section_b[t]].push_back(t);
    for (std::size_t s = 0; s < before.sections.size(); ++s) {
      const auto it = by_title.find(section_a[s]);
      if (it == by_title.end() || it->second.empty()) continue;
      section_map[s] = static_cast<int>(it->second.back());
      used[it->second.back()] = true;
      it->second.pop_back();
    }
    // Votes: (old section, new section) of every matched activity, counted by runs.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> moves;
    for (std::size_t i = 0; i < A.size(); ++i) {
      if (ma[i] >= 0 && section_map[A[i].section] < 0)
        moves.emplace_back(A[i].section, B[static_cast<std::size_t>(ma[i])].section);
    }
    std::sort(moves.begin(), moves.end());
    for (std::size_t k = 0; k < moves.size();) {
      const std::uint32_t s = moves[k].first;
      std::size_t best = after.sections.size();
      std::size_t best_votes = 0;
      while (k < moves.size() && moves[k].first == s) {
        const std::uint32_t t = moves[k].second;
        std::size_t votes = 0;
        for (; k < moves.size() && moves[k] == std::pair{s, t}; ++k) ++votes;
        if (!used[t] && votes > best_votes) {
          best = t;
          best_votes = votes;
        }
      }
      if (best < after.sections.size()) {
        section_map[s] = static_cast<int>(best);
        used[best] = true;
      }
    }
    std::size_t next = 0;
    for (std::size_t s = 0; s < before.sections.size(); ++s) {
      if (section_map[s] >= 0) continue;
      while (next < after.sections.size() && used[next]) ++next;
      if (next == after.sections.size()) break;
      section_map[s] = static_cast<int>(next);
      used[next] = true;
    }
  }
  // 3. Similar titles within corresponding sections.
  fuzzy_pairs(before, after, A, B, section_map, ma, mb,
              [&](std::size_t i, std::size_t j) { pair_up(i, j, MatchKind::fuzzy); });

  auto removed = [&](std::size_t i) {
    ActivityChange c;
    c.kind = ChangeKind::removed;
    c.kinds = {ChangeKind::removed};
    c.before = A[i];
    const Activity& a = activity_at(before, A[i]);
    for (const auto& p : parties) {
      const std::string r = roles_of(a, p.first);
      if (!r.empty()) c.roles.push_back({party_name(p), r, ""});
    }
    return c;
  };
  std::size_t next_removed = 0;
  auto flush_removed = [&](std::size_t upto) {
    for (; next_removed < upto && next_removed < A.size(); ++next_removed) {
      if (ma[next_removed] < 0) d.changes.push_back(removed(next_removed));
    }
  };
  for (std::size_t j = 0; j < B.size(); ++j) {
    const Activity& b = activity_at(after, B[j]);
    if (mb[j] < 0) {
      ActivityChange c;
      c.kind = ChangeKind::added;
      c.kinds = {ChangeKind::added};
      c.after = B[j];
      for (const auto& p : parties) {
        const std::string r = roles_of(b, p.second);
        if (!r.empty()) c.roles.push_back({party_name(p), "", r});
      }
      d.changes.push_back(std::move(c));
      continue;
    }
    const auto i = static_cast<std::size_t>(mb[j]);
    flush_removed(i);
    const Activity& a = activity_at(before, A[i]);
    ActivityChange c;
    c.match = kind[i];
    c.before = A[i];
    c.after = B[j];
    if (section_map[A[i].section] != static_cast<int>(B[j].section))
      c.kinds.push_back(ChangeKind::moved);
    if (a.title != b.title && plain_title(a.title) != plain_title(b.title))
      c.kinds.push_back(ChangeKind::retitled);
    for (const auto& p : parties) {
      if (role_bits(a, p.first) != role_bits(b, p.second)) {
        c.roles.push_back({party_name(p), roles_of(a, p.first), roles_of(b, p.second)});
      }
      const auto& ka = markers_of(a, p.first);
      const auto& kb = markers_of(b, p.second);
      if (ka != kb) c.markers.push_back({party_name(p), ka, kb});
    }
    if (a.title_markers != b.title_markers)
      c.markers.push_back({"", a.title_markers, b.title_markers});
    if (!c.roles.empty() || !c.markers.empty()) c.kinds.push_back(ChangeKind::changed);
    if (c.kinds.empty()) continue;
    c.kind = c.kinds.front();
    d.changes.push_back(std::move(c));
  }
  flush_removed(A.size());

  // Options, by id: what they say and which activities they hand over.
  auto option_rows = [](const Matrix& m, const Option& o) {
    std::string out;
    for (const auto& e : resolve::effects_of(m, o)) {
      if (!out.empty()) out += ", ";
      out += m.sections[e.section].activities[e.activity].id;
    }
    return out;
  };
  for (const auto& o : before.options) {
    const Option* n = resolve::find_option(after, o.id);
    if (n == nullptr) {
      d.options.push_back({o.id, "removed", o.text, ""});
      continue;
    }
    if (o.marker != n->marker) d.options.push_back({o.id, "marker", o.marker, n->marker});
    if (o.text != n->text) d.options.push_back({o.id, "text", o.text, n->text});
    const std::string ra = option_rows(before, o);
    const std::string rb = option_rows(after, *n);
    if (ra != rb) d.options.push_back({o.id, "activities", ra, rb});
  }
  for (const auto& o : after.options) {
    if (resolve::find_option(before, o.id) == nullptr)
      d.options.push_back({o.id, "added", "", o.text});
  }
  return d;
}

}  // namespace racine::compare
