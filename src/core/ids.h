// Activity ids derived from titles, unique within a matrix: one rule for every reader.

#pragma once

#include <memory_resource>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace racine {

class ActivityIds {
 public:
  // `base` made unique with the next free "-N" ("activity" when `base` is empty, as for a
  // title without a letter or a digit), and taken.
  std::string derive(std::string_view base);
  // The id a title gives: its slug, made unique.
  std::string from_title(std::string_view title);
  // Takes an id written by the author; false when it is already taken.
  bool claim(std::string_view id) { return take(id); }
  bool contains(std::string_view id) const { return m_ids.contains(id); }
  // Room for about `n` ids (a reader that knows its size spares the rehashes).
  void reserve(std::size_t n) { m_ids.reserve(n); }

 private:
  // Takes `id` unless it is taken already.
  bool take(std::string_view id);

  // The ids taken, as views of copies kept in `m_text`: a million activities cost no
  // allocation each (docs/performance.md).
  std::pmr::monotonic_buffer_resource m_text;
  std::pmr::unordered_set<std::string_view> m_ids{&m_text};
  // For each base, the next "-N" to try: ids are never given back, so every smaller N is
  // still taken and the search is linear in the activities.
  std::unordered_map<std::string, int> m_next;
};

}  // namespace racine
