#pragma once
// What a party must do, and the workload of every party: `racine duties`, `racine
// summary`, and the server's views of the same.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/matrix.h"

namespace racine::query {

// The party named `name`: by id, display name or any header spelling, folded (case and
// accents ignored); nullopt when none matches.
std::optional<std::size_t> find_party(const Matrix& m, std::string_view name);

// Activities where `party` holds at least one of `roles` (all roles when empty), by
// section in document order; sections where it has nothing are left out.
struct Duties {
  struct Item {
    std::uint32_t activity = 0;
    RoleSet roles;  // the party's roles on it
  };
  struct Group {
    std::uint32_t section = 0;
    std::vector<Item> items;
  };
  std::size_t party = 0;
  std::vector<Group> sections;
  [[nodiscard]] std::size_t count() const;
};
Duties duties(const Matrix& m, std::size_t party, RoleSet roles);

// Per party, how many activities give it each role, overall and per section.
struct Workload {
  using Counts = std::array<std::size_t, 4>;  // R, A, C, I
  struct PerSection {
    std::uint32_t section = 0;
    std::size_t activities = 0;
    std::vector<Counts> parties;  // indexed like Matrix::parties
  };
  std::size_t activities = 0;
  std::vector<Counts> parties;
  std::vector<PerSection> sections;
};
Workload summary(const Matrix& m);

}  // namespace racine::query
