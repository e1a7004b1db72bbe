#pragma once
// Files compiled into the binary (the seed matrix, the rule pages), generated at build
// time by cmake/embed_files.cmake.

#include <span>
#include <string_view>

namespace racine::embedded {

// One embedded file.
struct File {
  std::string_view name;  // "managed-kubernetes.md", "rules/RAC202.md"
  std::string_view content;
};

// Every embedded file.
std::span<const File> files();

// Content of the embedded file `name`, or an empty view.
std::string_view find(std::string_view name);

}  // namespace racine::embedded
