#include "core/ids.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"

namespace racine {

bool ActivityIds::take(std::string_view id) {
  // Copied only when free: what the buffer holds is never given back.
  if (m_ids.contains(id)) return false;
  auto* kept = static_cast<char*>(m_text.allocate(id.size(), 1));
  std::copy(id.begin(), id.end(), kept);
  return m_ids.insert(std::string_view(kept, id.size())).second;
}

std::string ActivityIds::derive(std::string_view base_in) {
  const std::string_view base = base_in.empty() ? std::string_view("activity") : base_in;
  if (take(base)) return std::string(base);
  int& k = m_next.try_emplace(std::string(base), 2).first->second;
  std::string id;
  do {
    id = fmt::format("{}-{}", base, k++);
  } while (!take(id));
  return id;
}

std::string ActivityIds::from_title(std::string_view title) {
  return derive(text::slugify(title));
}

}  // namespace racine
