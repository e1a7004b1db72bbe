#include "core/matrix.h"

namespace racine {

namespace {
const CellExtras k_no_extras;
}  // namespace

const std::vector<std::string>& Cell::markers() const {
  const CellExtras* e = m_extras.get();
  return (e != nullptr ? *e : k_no_extras).markers;
}

const std::string& Cell::unknown() const {
  const CellExtras* e = m_extras.get();
  return (e != nullptr ? *e : k_no_extras).unknown;
}

const std::string& Cell::remark() const {
  const CellExtras* e = m_extras.get();
  return (e != nullptr ? *e : k_no_extras).remark;
}

CellExtras& Cell::edit() {
  return m_extras.edit();
}

void Cell::set_extras(CellExtras extras) {
  if (extras.markers.empty() && extras.unknown.empty() && extras.remark.empty()) {
    m_extras.reset();
  } else {
    m_extras.set(std::move(extras));
  }
}

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
