#pragma once
// Compliance exports of a matrix, for auditors' tools: the OSCAL component definition
// (`export --format oscal`) and a CSA CCM STA-04 style classification of each activity
// as provider-owned, customer-owned or shared (`--format ccm`, `--format ccm-csv`).
// docs/compliance.md gives the mapping.

#include <string>
#include <string_view>

#include "core/matrix.h"

namespace racine::reports {

// The customer: the party whose name is the client in one of the five languages
// (Client, Customer, Kunde, Cliente...); -1 when no party is.
int customer_party(const Matrix& m);

// Who owns an activity, and the rule that says so.
struct Ownership {
  std::string value;  // "provider-owned", "customer-owned", "shared", "undetermined"
  std::string rule;   // the rule applied, in words
};
Ownership ownership(const Matrix& m, const Activity& a);

// [{"id", "title", "section", "line", "classification", "rule", "roles"}]
std::string write_ccm_json(const Matrix& m);
// section,id,title,classification,rule (RFC 4180, like the matrix CSV)
std::string write_ccm_csv(const Matrix& m);

// An RFC 4122 version-5 UUID (SHA-1, name-based) of `name` in racine's namespace: the
// same matrix always gets the same identifiers.
std::string name_uuid(std::string_view name);

// The OSCAL 1.0.4 component definition; `last_modified` is an RFC 3339 timestamp.
std::string write_oscal(const Matrix& m, std::string_view last_modified);

}  // namespace racine::reports
