#pragma once
// Reads a whole file for the parse-only benchmark programs.

#include <fstream>
#include <sstream>
#include <string>

inline std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
