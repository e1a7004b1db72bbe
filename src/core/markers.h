#pragma once
// Footnote markers bound to their notes, for every reader: each marker on an activity's
// title or on a cell becomes a MarkerUse, bound to the note that explains it.

#include "core/matrix.h"

namespace racine {

// Which note a marker's use binds to.
enum class MarkerBinding {
  // The nearest note of its marker that follows the use in the document (Markdown, where
  // notes are paragraphs under the table and a marker may be explained again further on).
  by_position,
  // The nearest note of its marker whose `after_section` is the use's section or a later
  // one (canonical YAML/JSON, where notes are a list that says after which section each
  // one comes).
  by_section,
  // None: the format has no notes (CSV); uses are listed unbound.
  none,
};

// Fills `m.marker_uses` (which it expects empty), in document order: per activity its
// title's markers, then each cell's, party by party.
void bind_markers(Matrix& m, MarkerBinding how);

}  // namespace racine
