#include "core/embedded.h"

namespace racine::embedded {

std::string_view find(std::string_view name) {
  for (const auto& f : files()) {
    if (f.name == name) return f.content;
  }
  return {};
}

}  // namespace racine::embedded
