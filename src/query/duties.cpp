#include "query/duties.h"

#include "core/text.h"

namespace racine::query {

namespace {

constexpr std::array<Role, 4> k_roles = {Role::responsible, Role::accountable, Role::consulted,
                                         Role::informed};

}  // namespace

std::optional<std::size_t> find_party(const Matrix& m, std::string_view name) {
  const std::string folded = text::fold(text::trim(name));
  const std::string slug = text::slugify(name);
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    const Party& party = m.parties[p];
    if (party.id == slug || text::fold(party.name) == folded) return p;
  }
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    for (const auto& sp : m.parties[p].spellings) {
      if (text::fold(sp.text) == folded) return p;
    }
  }
  return std::nullopt;
}

std::size_t Duties::count() const {
  std::size_t n = 0;
  for (const auto& g : sections) n += g.items.size();
  return n;
}

Duties duties(const Matrix& m, std::size_t party, RoleSet roles) {
  Duties d;
  d.party = party;
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    Duties::Group g{s, {}};
    const auto& acts = m.sections[s].activities;
    for (std::uint32_t a = 0; a < acts.size(); ++a) {
      if (party >= acts[a].cells.size()) continue;
      const RoleSet held = acts[a].cells[party].roles;
      if (held.empty() || (!roles.empty() && (held.bits() & roles.bits()) == 0)) continue;
      g.items.push_back({a, held});
    }
    if (!g.items.empty()) d.sections.push_back(std::move(g));
  }
  return d;
}

Workload summary(const Matrix& m) {
  Workload w;
  w.parties.assign(m.parties.size(), Workload::Counts{});
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    Workload::PerSection ps{s, m.sections[s].activities.size(),
                            std::vector<Workload::Counts>(m.parties.size())};
    for (const auto& act : m.sections[s].activities) {
      for (std::size_t p = 0; p < act.cells.size() && p < m.parties.size(); ++p) {
        for (std::size_t r = 0; r < k_roles.size(); ++r) {
          if (!act.cells[p].roles.has(k_roles[r])) continue;
          ++ps.parties[p][r];
          ++w.parties[p][r];
        }
      }
    }
    w.activities += ps.activities;
    w.sections.push_back(std::move(ps));
  }
  return w;
}

}  // namespace racine::query
