#include "resolve/discover.h"

#include <fmt/format.h>

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "core/vocabulary.h"

namespace racine::resolve {

void discover_options(Matrix& m) {
  // Delegation notes that share a marker are one option.
  std::unordered_set<std::string> markers;
  std::unordered_set<std::string> ids;
  std::unordered_map<std::string, int> next_id;
  for (std::size_t n = 0; n < m.notes.size(); ++n) {
    const Note& note = m.notes[n];
    if (markers.count(note.marker) != 0) continue;
    if (!vocabulary::is_delegation_note(text::fold(note.text))) continue;
    markers.insert(note.marker);
    Option o;
    // Named after the contract the note mentions, unique within the matrix.
    std::string base = text::slugify(vocabulary::contract_name(text::fold(note.text)));
    if (base.empty()) base = "delegation";
    o.id = base;
    if (ids.count(o.id) != 0) {
      int& k = next_id.try_emplace(base, 2).first->second;
      do {
        o.id = fmt::format("{}-{}", base, k++);
      } while (ids.count(o.id) != 0);
    }
    ids.insert(o.id);
    o.marker = note.marker;
    o.text = note.text;
    o.note = static_cast<int>(n);
    m.options.push_back(std::move(o));
  }
}

}  // namespace racine::resolve
