#include "reports/backstage.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "reports/compliance.h"

namespace racine::reports {

namespace {

constexpr std::string_view k_backstage_role_names[] = {"responsible", "accountable", "consulted",
                                                       "informed",    "support",     "driver"};
constexpr char k_backstage_role_letters[] = {'R', 'A', 'C', 'I', 'S', 'D'};

// A YAML double-quoted scalar: JSON's string syntax is one.
std::string q(std::string_view s) {
  return nlohmann::json(std::string(s)).dump();
}

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

std::string backstage_name(std::string_view id) {
  std::string n;
  for (const char c : id) {
    if (alnum(c)) {
      n += c;
    } else if (!n.empty() && n.back() != '-') {
      n += '-';  // one separator between runs of letters and digits
    }
  }
  while (!n.empty() && n.back() == '-') n.pop_back();
  if (n.size() <= 63 && !n.empty() && n == id) return n;
  const std::string hash = name_uuid("backstage:" + std::string(id)).substr(0, 8);
  if (n.size() > 54) n.resize(54);
  while (!n.empty() && n.back() == '-') n.pop_back();
  return n.empty() ? "x-" + hash : n + "-" + hash;
}

std::string write_backstage(const Matrix& m) {
  std::string out;
  std::vector<std::string> group;
  for (const auto& p : m.parties) {
    group.push_back(backstage_name(p.id));
    out += fmt::format(
        "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {}\n"
        "  title: {}\n  annotations:\n    racine/party: {}\n    racine/matrix: {}\n"
        "spec:\n  type: organization\n  profile:\n    displayName: {}\n  children: []\n",
        group.back(), q(p.name), q(p.id), q(m.id), q(p.name));
  }
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      // The owner: the Accountable party; when none is, the Responsible one; the first
      // in column order when several are (RAC201 and RAC202 report both cases).
      int owner = -1;
      for (const char letter : {'A', 'R', 'D'}) {
        for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size() && owner < 0; ++p) {
          if (a.cells[p].roles.has_letter(letter)) owner = static_cast<int>(p);
        }
        if (owner >= 0) break;
      }
      std::string annotations;
      for (std::size_t r = 0; r < std::size(k_backstage_role_names); ++r) {
        std::string who;
        for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
          if (a.cells[p].roles.has_letter(k_backstage_role_letters[r]))
            who += (who.empty() ? "" : ",") + m.parties[p].id;
        }
        if (!who.empty())
          annotations += fmt::format("    racine/{}: {}\n", k_backstage_role_names[r], q(who));
      }
      const std::string owner_ref =
          owner >= 0 ? "group:default/" + group[static_cast<std::size_t>(owner)] : "unowned";
      out += fmt::format(
          "---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: {}\n"
          "  title: {}\n  annotations:\n    racine/matrix: {}\n    racine/activity: {}\n"
          "    racine/section: {}\n{}spec:\n  type: responsibility\n  owner: {}\n",
          backstage_name(a.id), q(a.title), q(m.id), q(a.id), q(s.title), annotations, owner_ref);
    }
  }
  return out;
}

}  // namespace racine::reports
