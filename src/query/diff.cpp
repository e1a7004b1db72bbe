#include "query/diff.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "query/glossary.h"
#include "resolve/options.h"

namespace racine::query {

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
    if ((n == "id" || n == "ref" || n == "#" || n == "no" || n == "reference") && !text::trim(f.value).empty()) {
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

const Activity& at(const Matrix& m, ActivityRef r) { return m.sections[r.section].activities[r.activity]; }

// Roles and markers of `party` on `a` ("" and none when the party has no column there).
std::string roles_of(const Activity& a, int party) {
  if (party < 0 || static_cast<std::size_t>(party) >= a.cells.size()) return "";
  const Cell& c = a.cells[static_cast<std::size_t>(party)];
  return c.present ? c.roles.to_string() : "";
}

std::vector<std::string> markers_of(const Activity& a, int party) {
  if (party < 0 || static_cast<std::size_t>(party) >= a.cells.size()) return {};
  return a.cells[static_cast<std::size_t>(party)].markers;
}

}  // namespace

std::string_view match_name(MatchKind k) {
  switch (k) {
    case MatchKind::id:
      return "id";
    case MatchKind::title:
      return "title";
    case MatchKind::fuzzy:
      return "fuzzy";
    case MatchKind::none:
      break;
  }
  return "";
}

std::string_view change_name(ChangeKind k) {
  switch (k) {
    case ChangeKind::added:
      return "added";
    case ChangeKind::removed:
      return "removed";
    case ChangeKind::moved:
      return "moved";
    case ChangeKind::retitled:
      return "retitled";
    case ChangeKind::changed:
      return "changed";
  }
  return "";
}

double title_similarity(std::string_view a, std::string_view b) {
  const auto wa = content_words(a);
  const auto wb = content_words(b);
  if (wa.empty() || wb.empty()) return 0;
  std::size_t common = 0;
  for (const auto& w : wa) {
    // A word matches the same word, or one within a small typo (long words only).
    const bool found = std::binary_search(wb.begin(), wb.end(), w) ||
                       std::any_of(wb.begin(), wb.end(), [&](const std::string& x) {
                         return w.size() >= 6 && x.size() >= 6 && text::edit_distance_within(w, x, 1) <= 1;
                       });
    common += found ? 1U : 0U;
  }
  return static_cast<double>(common) / static_cast<double>(wa.size() + wb.size() - common);
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
  for (std::size_t p = 0; p < before.parties.size(); ++p) parties.emplace_back(static_cast<int>(p), party_after[p]);
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
  auto section_key = [](const Matrix& m, ActivityRef r) { return norm_title(m.sections[r.section].title); };

  // 1. Ids both sides state.
  {
    std::unordered_map<std::string, std::size_t> by_id;
    for (std::size_t j = 0; j < B.size(); ++j) {
      const std::string k = id_key(at(after, B[j]));
      if (!k.empty()) by_id.emplace(k, j);
    }
    for (std::size_t i = 0; i < A.size(); ++i) {
      const std::string k = id_key(at(before, A[i]));
      if (k.empty()) continue;
      const auto it = by_id.find(k);
      if (it != by_id.end() && mb[it->second] < 0) pair_up(i, it->second, MatchKind::id);
    }
  }
  // 2. Titles: the same title in the same section first, then anywhere, in order.
  {
    std::unordered_map<std::string, std::vector<std::size_t>> by_title;
    for (std::size_t j = 0; j < B.size(); ++j) {
      if (mb[j] < 0) by_title[norm_title(at(after, B[j]).title)].push_back(j);
    }
    for (const bool same_section : {true, false}) {
      for (std::size_t i = 0; i < A.size(); ++i) {
        if (ma[i] >= 0) continue;
        const auto it = by_title.find(norm_title(at(before, A[i]).title));
        if (it == by_title.end()) continue;
        for (const std::size_t j : it->second) {
          if (mb[j] >= 0) continue;
          if (same_section && section_key(before, A[i]) != section_key(after, B[j])) continue;
          pair_up(i, j, MatchKind::title);
          break;
        }
      }
    }
  }
  // Which new section each old section became: the same title; else the one most of its
  // matched activities went to; else the next one left, in order. A section renamed
  // between versions is not a move.
  std::vector<int> section_map(before.sections.size(), -1);
  {
    std::vector<bool> used(after.sections.size(), false);
    for (std::size_t s = 0; s < before.sections.size(); ++s) {
      for (std::size_t t = 0; t < after.sections.size(); ++t) {
        if (!used[t] && norm_title(before.sections[s].title) == norm_title(after.sections[t].title)) {
          section_map[s] = static_cast<int>(t);
          used[t] = true;
          break;
        }
      }
    }
    for (std::size_t s = 0; s < before.sections.size(); ++s) {
      if (section_map[s] >= 0) continue;
      std::vector<std::size_t> votes(after.sections.size(), 0);
      for (std::size_t i = 0; i < A.size(); ++i) {
        if (A[i].section == s && ma[i] >= 0) ++votes[B[static_cast<std::size_t>(ma[i])].section];
      }
      std::size_t best = after.sections.size();
      for (std::size_t t = 0; t < after.sections.size(); ++t) {
        if (!used[t] && votes[t] > 0 && (best == after.sections.size() || votes[t] > votes[best])) best = t;
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
  {
    struct Candidate {
      double score;
      std::size_t i;
      std::size_t j;
    };
    std::vector<Candidate> candidates;
    for (std::size_t i = 0; i < A.size(); ++i) {
      if (ma[i] >= 0 || section_map[A[i].section] < 0) continue;
      for (std::size_t j = 0; j < B.size(); ++j) {
        if (mb[j] >= 0 || static_cast<int>(B[j].section) != section_map[A[i].section]) continue;
        const double sim = title_similarity(at(before, A[i]).title, at(after, B[j]).title);
        if (sim >= 0.5) candidates.push_back({sim, i, j});
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
    for (const auto& c : candidates) {
      if (ma[c.i] < 0 && mb[c.j] < 0) pair_up(c.i, c.j, MatchKind::fuzzy);
    }
  }

  auto removed = [&](std::size_t i) {
    ActivityChange c;
    c.kind = ChangeKind::removed;
    c.kinds = {ChangeKind::removed};
    c.before = A[i];
    const Activity& a = at(before, A[i]);
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
    const Activity& b = at(after, B[j]);
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
    const Activity& a = at(before, A[i]);
    ActivityChange c;
    c.match = kind[i];
    c.before = A[i];
    c.after = B[j];
    if (section_map[A[i].section] != static_cast<int>(B[j].section)) c.kinds.push_back(ChangeKind::moved);
    if (plain_title(a.title) != plain_title(b.title)) c.kinds.push_back(ChangeKind::retitled);
    for (const auto& p : parties) {
      const std::string ra = roles_of(a, p.first);
      const std::string rb = roles_of(b, p.second);
      if (ra != rb) c.roles.push_back({party_name(p), ra, rb});
      const auto ka = markers_of(a, p.first);
      const auto kb = markers_of(b, p.second);
      if (ka != kb) c.markers.push_back({party_name(p), ka, kb});
    }
    if (a.title_markers != b.title_markers) c.markers.push_back({"", a.title_markers, b.title_markers});
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
    if (resolve::find_option(before, o.id) == nullptr) d.options.push_back({o.id, "added", "", o.text});
  }
  return d;
}

}  // namespace racine::query
