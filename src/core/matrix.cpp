#include "core/matrix.h"

namespace racine {

std::size_t Matrix::activity_count() const {
  std::size_t n = 0;
  for (const auto& s : sections) n += s.activities.size();
  return n;
}

std::vector<std::string> Matrix::party_names() const {
  std::vector<std::string> out;
  out.reserve(parties.size());
  for (const auto& p : parties) out.push_back(p.name);
  return out;
}

}  // namespace racine
