#pragma once
// A semantic diff of two matrices (`racine diff OLD NEW`): two versions of one matrix, or
// two offerings. Activities are matched by id when both sides state one (canonical ids,
// CSV ids, or an ID column), else by title (folded, markers removed), else by title
// similarity within the corresponding section; every change says which match was used.
// Parties are matched by id or name; matrices with different parties are compared.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/matrix.h"

namespace racine::compare {

enum class MatchKind : std::uint8_t { id, title, fuzzy, none };
enum class ChangeKind : std::uint8_t { added, removed, moved, retitled, changed };

std::string_view match_name(MatchKind k);    // "id", "title", "fuzzy"
std::string_view change_name(ChangeKind k);  // "added", ...

struct ActivityRef {
  std::uint32_t section = 0;
  std::uint32_t activity = 0;
};

// What changed for one party on one activity.
struct RoleChange {
  std::string party;   // display name
  std::string before;  // roles, "" for none; absent party: ""
  std::string after;
};

struct MarkerChange {
  std::string party;  // display name, or "" for the title
  std::vector<std::string> before;
  std::vector<std::string> after;
};

// One activity that changed, with everything that changed for it.
struct ActivityChange {
  ChangeKind kind = ChangeKind::changed;  // the main one: added, removed, moved, retitled, changed
  std::vector<ChangeKind> kinds;          // all of them, in that order
  MatchKind match = MatchKind::none;
  std::optional<ActivityRef> before;
  std::optional<ActivityRef> after;
  std::vector<RoleChange> roles;
  std::vector<MarkerChange> markers;
};

struct OptionChange {
  std::string id;
  std::string what;  // "added", "removed", "marker", "text", "activities"
  std::string before;
  std::string after;
};

struct Diff {
  std::vector<std::string> parties_added;  // names
  std::vector<std::string> parties_removed;
  std::vector<OptionChange> options;
  std::vector<ActivityChange> changes;  // in the new document's order, removed ones where they were
  std::size_t matched_by[3] = {0, 0, 0};  // activities matched by id, title, fuzzy
  [[nodiscard]] bool empty() const {
    return parties_added.empty() && parties_removed.empty() && options.empty() && changes.empty();
  }
};

Diff diff(const Matrix& before, const Matrix& after);

// Similarity of two titles in [0, 1]: shared folded words (stop words aside) over all.
double title_similarity(std::string_view a, std::string_view b);

}  // namespace racine::compare
