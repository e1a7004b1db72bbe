#pragma once
// Control mappings: which controls of a catalog (NIST SP 800-53 rev 5, ISO/IEC
// 27001:2022 Annex A, CSA CCM v4, or any catalog named by id) each activity of a matrix
// serves. A mapping is a YAML file (docs/compliance.md, "Control mappings"; its JSON
// Schema is docs/schema/racine-controls-1.schema.json):
//
//   racine-controls: 1
//   example: true              # optional: the mapping is an illustration, not advice
//   catalog:
//     id: csa-ccm-v4           # any id
//     title: CSA Cloud Controls Matrix v4.0
//     controls: [IAM-01, ...]  # optional: the catalog's ids, to check the mapping against
//   mappings:
//     - activity: ACTIVITY-ID
//       controls: [IAM-01, IAM-02]
//       origination: sp-corporate  # optional: the provider's part is corporate, not the
//                                  # system's (FedRAMP control-origination; default sp-system)
//
// RAC601 reports an activity the matrix does not have, RAC602 a control id that the
// catalog's list does not have (when the list is given). The built-in matrix's mapping
// to CCM v4 (data/managed-kubernetes.controls.yaml) is an example.

#include <set>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/matrix.h"
#include "core/result.h"
#include "core/source.h"

namespace racine::reports {

struct ControlMapping {
  std::string activity;
  Span activity_span;
  std::vector<std::string> controls;
  std::vector<Span> control_spans;
  bool corporate = false;  // `origination: sp-corporate`
};

struct ControlMappings {
  SourcePtr source;
  std::string catalog_id;
  std::string catalog_title;
  std::vector<std::string> catalog_controls;  // empty: the catalog's ids are not given
  bool example = false;
  std::vector<ControlMapping> mappings;
  std::set<std::string> corporate;  // activities whose mapping says `origination: sp-corporate`
};

// Parses a mapping file; a file that is not one is an Error with its line and column.
Result<ControlMappings> parse_controls(const SourcePtr& source);

// RAC601 (an activity the matrix does not have) and RAC602 (a control id the catalog's
// list does not have), in file order.
std::vector<Diagnostic> check_controls(const ControlMappings& c, const Matrix& m);

// One control and the activities mapped to it, in the order controls first appear.
struct ControlActivities {
  std::string control;                      // as written in the mapping ("IAM-01")
  std::vector<const Activity*> activities;  // of the matrix, in the matrix's order
};
// The mapping's controls with the matrix's activities (an activity the matrix does not
// have is left out: check_controls reports it).
std::vector<ControlActivities> controls_of(const ControlMappings& c, const Matrix& m);

// An OSCAL token for a control id: lower case, each character a token cannot hold
// replaced by '-', '_' first when it does not start with a letter ("A&A-02" -> "a-a-02",
// "IAM-01" -> "iam-01", "A.5.15" -> "a.5.15").
std::string oscal_control_id(std::string_view control);

// What each side does for one activity mapped to a control: the provider's parties (all
// but the customer) and the customer's, by R/A (D counts as R; reports/compliance.h).
struct SideParts {
  bool provider = false;           // a provider party holds R or A
  bool customer = false;           // the customer holds R or A
  bool provider_involved = false;  // a provider party holds any role
  bool corporate = false;          // the mapping says `origination: sp-corporate`
};
SideParts side_parts(const Matrix& m, const ControlMappings& c, const Activity& a);

// FedRAMP control-origination values of one activity in the provider's plan
// (docs/compliance.md): provider R/A -> sp-system (sp-corporate when the mapping says so);
// customer R/A -> customer-configured when a provider party holds a role on the activity,
// else customer-provided; both -> the two. `customer_plan`: the provider's part is
// `inherited` instead.
std::vector<std::string> origination(const SideParts& p, bool customer_plan);

// The values of several activities, once each, in FedRAMP's order.
std::vector<std::string> merge_origination(const std::vector<std::vector<std::string>>& values);

}  // namespace racine::reports
