#pragma once
// The matrix and a control mapping as OSCAL 1.1.2 system security plans
// (docs/compliance.md, "OSCAL system security plans"):
//
// - the provider's (`export --format oscal-ssp`): one implemented requirement per control
//   of the mapping, whose by-component for the provider's service carries
//   export.provided[] (what the provider's parties do: R/A on its side) and
//   export.responsibilities[] (what the customer must do), with FedRAMP
//   control-origination properties;
// - the customer's (`--format oscal-ssp-customer`): the same controls, whose by-component
//   for the provider's service carries inherited[] (provided-uuid: the provider's
//   provided) and satisfied[] (responsibility-uuid: the provider's responsibility).
//
// Every UUID is a version-5 UUID of a stable name: the matrix id, the activity id, the
// control and the side. A row that did not change keeps its UUIDs in the next version,
// and a customer's plan keeps pointing at the provider's.

#include <string>
#include <string_view>

#include "core/matrix.h"
#include "reports/controls.h"

namespace racine::reports {

// `last_modified` is an RFC 3339 timestamp; `with`: the contract options applied to `m`
// (an effective matrix's plan is another document: its own document UUID and title; its
// rows keep the UUIDs they have in the matrix's).
std::string write_oscal_ssp(const Matrix& m, const ControlMappings& c,
                            std::string_view last_modified, bool customer_plan,
                            const std::vector<std::string>& with = {});

// One row of the customer responsibility matrix: a control, its origination, and per
// activity mapped to it (in the matrix's order) what the provider does and what the
// customer must do (the activity's title, or "" when that side has no part), and the
// roles on it, one line per activity ("Client C, Cloud Temple RA").
struct CrmRow {
  std::string control;
  std::vector<std::string> origination;
  std::vector<std::string> provider;
  std::vector<std::string> customer;
  std::string roles;
};
std::vector<CrmRow> crm_rows(const Matrix& m, const ControlMappings& c);

}  // namespace racine::reports
