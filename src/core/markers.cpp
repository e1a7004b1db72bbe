#include "core/markers.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace racine {

namespace {

// The note `n` of `m.notes` that a use binds to, by position: notes by marker in index
// order, found by binary search when that is also the order of their positions (the
// Markdown walk is in document order, so it always is).
class ByPosition {
 public:
  explicit ByPosition(const Matrix& m) : m_m(m) {
    for (std::size_t n = 0; n < m.notes.size(); ++n) {
      Notes& notes = m_by_marker[m.notes[n].marker];
      if (!notes.list.empty() && begin_of(notes.list.back()) >= begin_of(n)) notes.sorted = false;
      notes.list.push_back(n);
    }
  }

  int find(const std::string& marker, std::uint32_t at) const {
    const auto it = m_by_marker.find(marker);
    if (it == m_by_marker.end()) return -1;
    const auto& list = it->second.list;
    if (it->second.sorted) {
      const auto found =
          std::upper_bound(list.begin(), list.end(), at,
                           [&](std::uint32_t pos, std::size_t n) { return pos < begin_of(n); });
      return found == list.end() ? -1 : static_cast<int>(*found);
    }
    for (const std::size_t n : list) {
      if (begin_of(n) > at) return static_cast<int>(n);
    }
    return -1;
  }

 private:
  struct Notes {
    std::vector<std::size_t> list;
    bool sorted = true;
  };
  std::uint32_t begin_of(std::size_t n) const { return m_m.notes[n].span.begin; }
  const Matrix& m_m;
  std::unordered_map<std::string, Notes> m_by_marker;
};

// By section: notes by marker, (after_section, note) sorted by section; a lookup is a
// binary search.
class BySection {
 public:
  explicit BySection(const Matrix& m) {
    for (std::size_t n = 0; n < m.notes.size(); ++n)
      m_notes[m.notes[n].marker].emplace_back(m.notes[n].after_section, static_cast<int>(n));
    for (auto& [marker, list] : m_notes)
      std::stable_sort(list.begin(), list.end(),
                       [](const auto& x, const auto& y) { return x.first < y.first; });
  }

  int find(const std::string& marker, std::uint32_t section) const {
    const auto it = m_notes.find(marker);
    if (it == m_notes.end()) return -1;
    const auto at =
        std::lower_bound(it->second.begin(), it->second.end(), static_cast<int>(section),
                         [](const auto& x, int s) { return x.first < s; });
    return at == it->second.end() ? -1 : at->second;
  }

 private:
  std::unordered_map<std::string, std::vector<std::pair<int, int>>> m_notes;
};

}  // namespace

void bind_markers(Matrix& m, MarkerBinding how) {
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    const auto& sec = m.sections[s];
    for (std::uint32_t a = 0; a < sec.activities.size(); ++a) {
      const auto& act = sec.activities[a];
      for (const auto& mk : act.title_markers)
        m.marker_uses.push_back({mk, act.span, s, a, -1, -1});
      for (std::size_t p = 0; p < act.cells.size(); ++p) {
        for (const auto& mk : act.cells[p].markers())
          m.marker_uses.push_back({mk, act.cells[p].span, s, a, static_cast<int>(p), -1});
      }
    }
  }
  if (how == MarkerBinding::by_position) {
    const ByPosition notes(m);
    for (auto& use : m.marker_uses) use.note = notes.find(use.marker, use.span.begin);
  } else if (how == MarkerBinding::by_section) {
    const BySection notes(m);
    for (auto& use : m.marker_uses) use.note = notes.find(use.marker, use.section);
  }
}

}  // namespace racine
