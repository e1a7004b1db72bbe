#pragma once
// Contract options and their effect: which activities an option changes, and the
// effective matrix under one or more options (`racine options`, `racine resolve`,
// `--with OPTION` everywhere).
//
// Default effect, for an option read from Markdown: a row is delegable when one of its
// cells carries a marker bound to the option's note; on such a row, the first party that
// holds R (other than the delegate) and the party the note names swap their roles, and
// the option's marker leaves the row. An option whose effects are stated (canonical
// formats) applies them as written.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/matrix.h"
#include "core/result.h"

namespace racine::resolve {

// The option whose id is `id` (exact, then case-insensitive), or nullptr.
const Option* find_option(const Matrix& m, std::string_view id);

// Rows (section, activity) where a party's cell carries a marker bound to one of the
// option's notes, in document order, each once. Markers on titles do not count.
std::vector<std::pair<std::uint32_t, std::uint32_t>> delegable_rows(const Matrix& m,
                                                                    const Option& o);

// The party an option hands cells to: the stated one, else the only party the note
// names (when it names several, the one that is not Responsible on every delegable
// row); -1 when that leaves none or several.
int delegate_of(const Matrix& m, const Option& o);

// The rows `o` changes and what each one becomes, in document order. Derived effects
// leave out delegable rows where nothing would move (the delegate already holds R).
std::vector<OptionEffect> effects_of(const Matrix& m, const Option& o);

// One activity an applied option changed, with every party's roles before and after.
struct Change {
  std::string option;
  std::uint32_t section = 0;
  std::uint32_t activity = 0;
  std::vector<RoleSet> before;  // indexed like Matrix::parties
  std::vector<RoleSet> after;
};

// The effective matrix and what changed to get there.
struct Resolved {
  Matrix matrix;
  std::vector<Change> changes;
};

// Applies the options named `ids`, in order. The result no longer offers them: their
// notes and the markers that pointed to those notes are gone. An unknown id, or an
// option that names no party to hand cells to, is an error that lists what exists.
Result<Resolved> apply(const Matrix& m, const std::vector<std::string>& ids);

}  // namespace racine::resolve
