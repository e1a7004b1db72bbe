#include "core/result.h"

#include <fmt/format.h>

namespace racine {

std::string Error::to_string() const {
  if (line == 0) return fmt::format("{}: {}", path, message);
  if (column == 0) return fmt::format("{}:{}: {}", path, line, message);
  return fmt::format("{}:{}:{}: {}", path, line, column, message);
}

}  // namespace racine
