#include "reports/compliance.h"

#include <fmt/format.h>
#include <openssl/sha.h>

#include <nlohmann/json.hpp>

#include "core/party_names.h"
#include "core/text.h"
#include "formats/csv.h"

namespace racine::reports {

namespace {

using nlohmann::ordered_json;

// racine's namespace for name-based UUIDs: a UUID chosen once, never to change.
constexpr unsigned char k_namespace[16] = {0x6b, 0x2f, 0x1c, 0x5e, 0x93, 0x0a, 0x5d, 0x41,
                                           0x8f, 0x37, 0x2b, 0x6e, 0x0c, 0x4d, 0x71, 0xa8};

constexpr std::string_view k_role_ids[] = {"responsible", "accountable", "consulted",
                                           "informed",    "support",     "driver"};
constexpr std::string_view k_role_titles[] = {"Responsible", "Accountable", "Consulted",
                                              "Informed",    "Support",     "Driver"};
constexpr char k_role_letters[] = {'R', 'A', 'C', 'I', 'S', 'D'};

std::uint32_t line_of(const Matrix& m, Span s) {
  return m.source ? m.source->position(s.begin).line : 0U;
}

// An OSCAL token starts with a letter or an underscore.
std::string token(std::string_view id) {
  if (!id.empty() && (std::isalpha(static_cast<unsigned char>(id[0])) != 0 || id[0] == '_'))
    return std::string(id);
  std::string t(1, '_');
  t.append(id);
  return t;
}

bool holds_r_or_a(const Activity& a, std::size_t p) {
  return p < a.cells.size() &&
         (a.cells[p].roles.has(Role::responsible) || a.cells[p].roles.has(Role::accountable) ||
          a.cells[p].roles.has(Role::driver));
}

}  // namespace

int customer_party(const Matrix& m) {
  const auto groups = PartyAliases::builtin().groups;
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    const std::string key = party_key(m.parties[p].name);
    for (const auto& word : groups.front()) {
      if (party_key(word) == key) return static_cast<int>(p);
    }
  }
  return -1;
}

Ownership ownership(const Matrix& m, const Activity& a) {
  const int customer = customer_party(m);
  if (customer < 0)
    return {"undetermined", "no party is the customer (Client, Customer, Kunde, Cliente...)"};
  const auto c = static_cast<std::size_t>(customer);
  bool provider = false;
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    if (p != c && holds_r_or_a(a, p)) provider = true;
  }
  const bool customer_does = holds_r_or_a(a, c);
  if (provider && customer_does)
    return {"shared", "both the customer and the provider hold R or A"};
  if (provider) return {"provider-owned", "only the provider holds R or A"};
  if (customer_does) return {"customer-owned", "only the customer holds R or A"};
  return {"undetermined", "nobody holds R or A"};
}

std::string write_ccm_json(const Matrix& m) {
  ordered_json out = ordered_json::array();
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      const Ownership o = ownership(m, a);
      ordered_json roles = ordered_json::object();
      for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
        if (a.cells[p].present) roles[m.parties[p].id] = a.cells[p].roles.to_string();
      }
      out.push_back({{"id", a.id},
                     {"title", a.title},
                     {"section", s.title},
                     {"line", line_of(m, a.span)},
                     {"classification", o.value},
                     {"rule", o.rule},
                     {"roles", std::move(roles)}});
    }
  }
  return out.dump(2) + "\n";
}

std::string write_ccm_csv(const Matrix& m) {
  std::string out = "\xEF\xBB\xBFsection,id,title,classification,rule\r\n";
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      const Ownership o = ownership(m, a);
      for (const std::string_view f : {std::string_view(s.title), std::string_view(a.id),
                                       std::string_view(a.title), std::string_view(o.value)}) {
        append_csv_field(out, f);
        out += ',';
      }
      append_csv_field(out, o.rule);
      out += "\r\n";
    }
  }
  return out;
}

std::string name_uuid(std::string_view name) {
  std::string input(reinterpret_cast<const char*>(k_namespace), sizeof k_namespace);
  input += name;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += fmt::format("{:02x}", digest[i]);
  }
  return out;
}

std::string write_oscal(const Matrix& m, std::string_view last_modified) {
  const std::string base = "racine:" + m.id + ":";
  const int customer = customer_party(m);
  ordered_json roles = ordered_json::array();
  for (std::size_t r = 0; r < std::size(k_role_ids); ++r) {
    if (!m.roles.has(k_role_letters[r])) continue;
    roles.push_back({{"id", k_role_ids[r]}, {"title", k_role_titles[r]}});
  }
  roles.push_back({{"id", "provider"}, {"title", "Provider"}});
  roles.push_back({{"id", "customer"}, {"title", "Customer"}});
  ordered_json parties = ordered_json::array();
  std::vector<std::string> party_uuid;
  for (const auto& p : m.parties) {
    party_uuid.push_back(name_uuid(base + "party:" + p.id));
    parties.push_back({{"uuid", party_uuid.back()}, {"type", "organization"}, {"name", p.name}});
  }
  ordered_json component_roles = ordered_json::array();
  ordered_json providers = ordered_json::array();
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    if (static_cast<int>(p) != customer) providers.push_back(party_uuid[p]);
  }
  if (!providers.empty())
    component_roles.push_back({{"role-id", "provider"}, {"party-uuids", providers}});
  if (customer >= 0) {
    component_roles.push_back({{"role-id", "customer"},
                               {"party-uuids", {party_uuid[static_cast<std::size_t>(customer)]}}});
  }
  ordered_json requirements = ordered_json::array();
  for (std::size_t s = 0; s < m.sections.size(); ++s) {
    const Section& sec = m.sections[s];
    ordered_json statements = ordered_json::array();
    for (const auto& a : sec.activities) {
      ordered_json responsible = ordered_json::array();
      for (std::size_t r = 0; r < std::size(k_role_ids); ++r) {
        ordered_json who = ordered_json::array();
        for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
          if (a.cells[p].roles.has_letter(k_role_letters[r])) who.push_back(party_uuid[p]);
        }
        if (!who.empty())
          responsible.push_back({{"role-id", k_role_ids[r]}, {"party-uuids", std::move(who)}});
      }
      const Ownership o = ownership(m, a);
      ordered_json st = {{"statement-id", token(a.id)},
                         {"uuid", name_uuid(base + "activity:" + a.id)},
                         {"description", a.title},
                         {"remarks", fmt::format("{}: {}.", o.value, o.rule)}};
      if (!responsible.empty()) st["responsible-roles"] = std::move(responsible);
      statements.push_back(std::move(st));
    }
    const std::string sid = "section-" + std::to_string(s + 1);
    requirements.push_back(
        {{"uuid", name_uuid(base + sid)},
         {"control-id", token(text::slugify(sec.title).empty() ? sid : text::slugify(sec.title))},
         {"description", sec.title.empty() ? std::string("Activities") : sec.title},
         {"statements", std::move(statements)}});
  }
  ordered_json component = {
      {"uuid", name_uuid(base + "component")},
      {"type", "service"},
      {"title", m.title.empty() ? m.id : m.title},
      {"description",
       "The shared responsibility model of this service: for each activity, which party is "
       "Responsible, Accountable, Consulted and Informed."},
      {"responsible-roles", std::move(component_roles)},
      {"control-implementations",
       {{{"uuid", name_uuid(base + "control-implementation")},
         {"source", "#" + token(m.id)},
         {"description",
          "Activities of the responsibility matrix, by section; each statement gives the parties "
          "holding each role and whether the provider, the customer or both own it."},
         {"implemented-requirements", std::move(requirements)}}}}};
  ordered_json metadata = {{"title", m.title.empty() ? m.id : m.title},
                           {"last-modified", last_modified},
                           {"version", "1"},
                           {"oscal-version", "1.0.4"},
                           {"roles", std::move(roles)},
                           {"parties", std::move(parties)}};
  ordered_json root = {{"component-definition",
                        {{"uuid", name_uuid(base + "component-definition")},
                         {"metadata", std::move(metadata)},
                         {"components", {std::move(component)}}}}};
  return root.dump(2) + "\n";
}

}  // namespace racine::reports
