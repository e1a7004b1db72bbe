#pragma once
// Options found in a document's notes: a note that says some rows may be handed to the
// provider under another contract ("*Ces responsabilités peuvent être déléguées ... dans
// le cadre d'un contrat d'infogérance") is an option of the matrix, marked on the rows
// it covers. The Markdown reader calls this; canonical YAML/JSON states its options.

#include "core/matrix.h"

namespace racine::resolve {

// Appends to `m.options` one option per marker whose first note is a delegation note,
// named after the contract the note mentions ("infogerance"; "delegation" when it names
// none), made unique within the matrix ("-2", "-3"...).
void discover_options(Matrix& m);

}  // namespace racine::resolve
