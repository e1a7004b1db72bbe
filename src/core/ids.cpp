#include "core/ids.h"

#include <fmt/format.h>

#include "core/text.h"

namespace racine {

std::string ActivityIds::derive(std::string_view base_in) {
  std::string base = base_in.empty() ? std::string("activity") : std::string(base_in);
  // Most ids are free: taken with one hash and returned.
  if (m_ids.insert(base).second) return base;
  int& k = m_next.try_emplace(base, 2).first->second;
  std::string id;
  do {
    id = fmt::format("{}-{}", base, k++);
  } while (!m_ids.insert(id).second);
  return id;
}

std::string ActivityIds::from_title(std::string_view title) {
  return derive(text::slugify(title));
}

}  // namespace racine
