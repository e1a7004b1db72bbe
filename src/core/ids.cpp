#include "core/ids.h"

#include <fmt/format.h>

#include "core/text.h"

namespace racine {

std::string ActivityIds::derive(std::string_view base_in) {
  const std::string base = base_in.empty() ? std::string("activity") : std::string(base_in);
  std::string id = base;
  if (m_ids.contains(id)) {
    int& k = m_next.try_emplace(base, 2).first->second;
    do {
      id = fmt::format("{}-{}", base, k++);
    } while (m_ids.contains(id));
  }
  m_ids.insert(id);
  return id;
}

std::string ActivityIds::from_title(std::string_view title) {
  return derive(text::slugify(title));
}

}  // namespace racine
