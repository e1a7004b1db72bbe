#include "reports/ssp.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "reports/compliance.h"

namespace racine::reports {

namespace {

using nlohmann::ordered_json;

constexpr std::string_view k_fedramp_ns = "https://fedramp.gov/ns/oscal";
constexpr std::string_view k_ssp_role_ids[] = {"responsible", "accountable", "consulted",
                                               "informed",    "support",     "driver"};
constexpr std::string_view k_ssp_role_titles[] = {"Responsible", "Accountable", "Consulted",
                                                  "Informed",    "Support",     "Driver"};
constexpr char k_ssp_role_letters[] = {'R', 'A', 'C', 'I', 'S', 'D'};

// The stable name of one side of one activity under one control.
std::string part_name(const Matrix& m, const Activity& a, std::string_view control,
                      std::string_view side) {
  return fmt::format("racine:{}:{}:{}:{}", m.id, a.id, control, side);
}

// responsible-roles of the parties of one side (`customer_side`) on an activity.
ordered_json side_roles(const Matrix& m, const Activity& a, int customer, bool customer_side,
                        const std::vector<std::string>& party_uuid) {
  ordered_json out = ordered_json::array();
  for (std::size_t r = 0; r < std::size(k_ssp_role_ids); ++r) {
    ordered_json who = ordered_json::array();
    for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
      if ((static_cast<int>(p) == customer) != customer_side) continue;
      if (a.cells[p].roles.has_letter(k_ssp_role_letters[r])) who.push_back(party_uuid[p]);
    }
    if (!who.empty())
      out.push_back({{"role-id", k_ssp_role_ids[r]}, {"party-uuids", std::move(who)}});
  }
  return out;
}

ordered_json origination_props(const std::vector<std::string>& values) {
  ordered_json out = ordered_json::array();
  for (const auto& v : values)
    out.push_back({{"name", "control-origination"}, {"ns", k_fedramp_ns}, {"value", v}});
  return out;
}

std::string party_names(const Matrix& m, const Activity& a, int customer, bool customer_side) {
  std::string out;
  for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
    if ((static_cast<int>(p) == customer) != customer_side) continue;
    const auto& roles = a.cells[p].roles;
    if (!(roles.has(Role::responsible) || roles.has(Role::accountable) || roles.has(Role::driver)))
      continue;
    out += (out.empty() ? "" : ", ") + m.parties[p].name + " (" + roles.to_string() + ")";
  }
  return out;
}

}  // namespace

std::string write_oscal_ssp(const Matrix& m, const ControlMappings& c,
                            std::string_view last_modified, bool customer_plan,
                            const std::vector<std::string>& with) {
  const std::string base = "racine:" + m.id + ":";
  const std::string plan = customer_plan ? "customer-ssp" : "provider-ssp";
  std::string options;
  for (const auto& w : with) options += (options.empty() ? "" : "+") + w;
  // The document itself: another one for each set of options.
  const std::string document = base + plan + (options.empty() ? "" : ":with:" + options);
  const int customer = customer_party(m);
  const std::string title =
      (m.title.empty() ? m.id : m.title) + (options.empty() ? "" : " (with " + options + ")");

  ordered_json roles = ordered_json::array();
  for (std::size_t r = 0; r < std::size(k_ssp_role_ids); ++r) {
    if (!m.roles.has(k_ssp_role_letters[r])) continue;
    roles.push_back({{"id", k_ssp_role_ids[r]}, {"title", k_ssp_role_titles[r]}});
  }
  roles.push_back({{"id", "provider"}, {"title", "Provider"}});
  roles.push_back({{"id", "customer"}, {"title", "Customer"}});
  ordered_json parties = ordered_json::array();
  std::vector<std::string> party_uuid;
  ordered_json users = ordered_json::array();
  ordered_json providers = ordered_json::array();
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    const auto& party = m.parties[p];
    party_uuid.push_back(name_uuid(base + "party:" + party.id));
    parties.push_back(
        {{"uuid", party_uuid.back()}, {"type", "organization"}, {"name", party.name}});
    const bool is_customer = static_cast<int>(p) == customer;
    if (!is_customer) providers.push_back(party_uuid.back());
    users.push_back({{"uuid", name_uuid(base + plan + ":user:" + party.id)},
                     {"title", party.name},
                     {"role-ids", {is_customer ? "customer" : "provider"}}});
  }

  // The provider's service: one component, the same UUID in both plans.
  const std::string service_uuid = name_uuid(base + "component:service");
  ordered_json service = {
      {"uuid", service_uuid},
      {"type", "service"},
      {"title", title},
      {"description",
       "The provider's service, whose shared responsibility model is the matrix: for each "
       "control, what the provider does and what the customer must do."},
      {"status", {{"state", "operational"}}}};
  if (!providers.empty())
    service["responsible-roles"] = {{{"role-id", "provider"}, {"party-uuids", providers}}};
  ordered_json components = ordered_json::array();
  if (customer_plan) {
    components.push_back(
        {{"uuid", name_uuid(base + plan + ":component:this-system")},
         {"type", "this-system"},
         {"title", "The customer's system"},
         {"description", "The customer's system, which uses the provider's service."},
         {"status", {{"state", "operational"}}}});
  }
  components.push_back(std::move(service));

  ordered_json requirements = ordered_json::array();
  for (const auto& ca : controls_of(c, m)) {
    const std::string control_id = oscal_control_id(ca.control);
    ordered_json provided = ordered_json::array();
    ordered_json responsibilities = ordered_json::array();
    ordered_json inherited = ordered_json::array();
    ordered_json satisfied = ordered_json::array();
    std::vector<std::vector<std::string>> origins;
    for (const Activity* a : ca.activities) {
      const SideParts parts = side_parts(m, c, *a);
      origins.push_back(origination(parts, customer_plan));
      const std::string provided_uuid = name_uuid(part_name(m, *a, ca.control, "provider"));
      const std::string responsibility_uuid = name_uuid(part_name(m, *a, ca.control, "customer"));
      if (parts.provider) {
        const std::string who = party_names(m, *a, customer, false);
        if (customer_plan) {
          ordered_json e = {
              {"uuid", name_uuid(part_name(m, *a, ca.control, "inherited"))},
              {"provided-uuid", provided_uuid},
              {"description", fmt::format("Inherited from the provider: {} ({}).", a->title, who)}};
          auto r = side_roles(m, *a, customer, false, party_uuid);
          if (!r.empty()) e["responsible-roles"] = std::move(r);
          inherited.push_back(std::move(e));
        } else {
          ordered_json e = {{"uuid", provided_uuid},
                            {"description", fmt::format("The provider: {} ({}).", a->title, who)}};
          auto r = side_roles(m, *a, customer, false, party_uuid);
          if (!r.empty()) e["responsible-roles"] = std::move(r);
          provided.push_back(std::move(e));
        }
      }
      if (parts.customer) {
        const std::string who = party_names(m, *a, customer, true);
        if (customer_plan) {
          ordered_json e = {
              {"uuid", name_uuid(part_name(m, *a, ca.control, "satisfied"))},
              {"responsibility-uuid", responsibility_uuid},
              {"description", fmt::format("Done by the customer: {} ({}).", a->title, who)}};
          auto r = side_roles(m, *a, customer, true, party_uuid);
          if (!r.empty()) e["responsible-roles"] = std::move(r);
          satisfied.push_back(std::move(e));
        } else {
          ordered_json e = {{"uuid", responsibility_uuid}};
          if (parts.provider) e["provided-uuid"] = provided_uuid;
          e["description"] = fmt::format("The customer must: {} ({}).", a->title, who);
          auto r = side_roles(m, *a, customer, true, party_uuid);
          if (!r.empty()) e["responsible-roles"] = std::move(r);
          responsibilities.push_back(std::move(e));
        }
      }
    }
    std::string titles;
    for (const Activity* a : ca.activities) titles += (titles.empty() ? "" : "; ") + a->title;
    ordered_json by = {
        {"component-uuid", service_uuid},
        {"uuid", name_uuid(base + plan + ":control:" + ca.control + ":by-component")},
        {"description",
         fmt::format("{} {}: {}.", c.catalog_id, ca.control,
                     titles.empty() ? std::string("no activity of the matrix") : titles)}};
    if (customer_plan) {
      if (!inherited.empty()) by["inherited"] = std::move(inherited);
      if (!satisfied.empty()) by["satisfied"] = std::move(satisfied);
    } else if (!provided.empty() || !responsibilities.empty()) {
      ordered_json exp = ordered_json::object();
      if (!provided.empty()) exp["provided"] = std::move(provided);
      if (!responsibilities.empty()) exp["responsibilities"] = std::move(responsibilities);
      by["export"] = std::move(exp);
    }
    ordered_json req = {{"uuid", name_uuid(base + plan + ":control:" + ca.control)},
                        {"control-id", control_id}};
    const auto origin = merge_origination(origins);
    if (!origin.empty()) req["props"] = origination_props(origin);
    req["by-components"] = {std::move(by)};
    if (control_id != ca.control)
      req["remarks"] = "Control " + ca.control + " of " + c.catalog_id + ".";
    requirements.push_back(std::move(req));
  }

  const std::string catalog_uuid = name_uuid(base + "catalog:" + c.catalog_id);
  const std::string catalog_title = c.catalog_title.empty() ? c.catalog_id : c.catalog_title;
  ordered_json metadata = {{"title", customer_plan ? fmt::format("{}: the customer's plan", title)
                                                   : fmt::format("{}: the provider's plan", title)},
                           {"last-modified", last_modified},
                           {"version", "1"},
                           {"oscal-version", "1.1.2"},
                           {"roles", std::move(roles)},
                           {"parties", std::move(parties)}};
  if (c.example) {
    metadata["remarks"] =
        "The control mapping behind this plan is an example, not the provider's or an auditor's "
        "judgement.";
  }
  ordered_json root = {
      {"system-security-plan",
       {{"uuid", name_uuid(document)},
        {"metadata", std::move(metadata)},
        {"import-profile", {{"href", "#" + catalog_uuid}}},
        {"system-characteristics",
         {{"system-ids",
           {{{"identifier-type", "https://ietf.org/rfc/rfc4122"},
             {"id", name_uuid(document + ":system")}}}},
          {"system-name", customer_plan ? "The customer's system on " + title : title},
          {"description",
           customer_plan ? "The customer's system: the controls it inherits from the provider's "
                           "service and the responsibilities it satisfies, from the provider's "
                           "responsibility matrix."
                         : "The provider's service and its shared responsibility model, from the "
                           "responsibility matrix."},
          {"system-information",
           {{"information-types",
             {{{"title", "Service data"},
               {"description",
                "The information types are not part of a responsibility matrix: the system's "
                "owner completes them."}}}}}},
          {"status", {{"state", "operational"}}},
          {"authorization-boundary",
           {{"description",
             "Not part of a responsibility matrix: the system's owner completes it."}}}}},
        {"system-implementation",
         {{"users", std::move(users)}, {"components", std::move(components)}}},
        {"control-implementation",
         {{"description",
           fmt::format("The controls of {} that the activities of the matrix serve, by the control "
                       "mapping{}.",
                       catalog_title, c.example ? " (an example)" : "")},
          {"implemented-requirements", std::move(requirements)}}},
        {"back-matter",
         {{"resources",
           {{{"uuid", catalog_uuid},
             {"title", catalog_title},
             {"description", "The control catalog " + c.catalog_id + "."}}}}}}}}};
  return root.dump(2) + "\n";
}

std::vector<CrmRow> crm_rows(const Matrix& m, const ControlMappings& c) {
  std::vector<CrmRow> out;
  for (const auto& ca : controls_of(c, m)) {
    CrmRow row;
    row.control = ca.control;
    std::vector<std::vector<std::string>> origins;
    for (const Activity* a : ca.activities) {
      const SideParts parts = side_parts(m, c, *a);
      origins.push_back(origination(parts, false));
      // One line per activity in each column, empty where that side has no part, so that
      // an activity's parts and roles stand on the same line.
      row.provider.push_back(parts.provider ? a->title : std::string());
      row.customer.push_back(parts.customer ? a->title : std::string());
      std::string roles;
      for (std::size_t p = 0; p < a->cells.size() && p < m.parties.size(); ++p) {
        if (a->cells[p].roles.empty()) continue;
        roles +=
            (roles.empty() ? "" : ", ") + m.parties[p].name + " " + a->cells[p].roles.to_string();
      }
      row.roles += (row.roles.empty() ? "" : "\n") + roles;
    }
    row.origination = merge_origination(origins);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace racine::reports
