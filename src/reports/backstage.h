#pragma once
// The matrix as Backstage catalog entities (`export --format backstage`; docs/compliance.md,
// "Backstage"): a YAML stream of one Group per party and one Resource per activity, whose
// spec.owner is the Accountable party and whose annotations carry every role:
//
//   racine/responsible, racine/accountable, racine/consulted, racine/informed (and
//   racine/support, racine/driver for RASCI and DACI): the party ids holding the role,
//   comma-separated; racine/section, racine/activity, racine/matrix.
//
// Per activity rather than per section, because the Accountable party changes inside a
// section (the built-in matrix's "Sécurité" has both), and Backstage gives one owner.
// Names are the ids, cut to Backstage's 63 characters with a hash when longer.

#include <string>

#include "core/matrix.h"

namespace racine::reports {

std::string write_backstage(const Matrix& m);

// A Backstage entity name for `id`: itself when it fits (at most 63 characters of
// [A-Za-z0-9], separated by single '-', '_' or '.'), else its first characters and 8 hex
// digits of its name-based UUID.
std::string backstage_name(std::string_view id);

}  // namespace racine::reports
