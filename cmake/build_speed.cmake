# Build time (docs/testing.md, "CI time"): precompiled headers for the heavy, stable
# headers every file of a target parses again. Applied here, after every target exists,
# so that the targets' own CMakeLists.txt stay as they are.
option(RACINE_PCH "Precompile the standard library, fmt, nlohmann/json, CLI11 and GoogleTest" ON)

if(RACINE_PCH)
  # What most of the library's files include, directly or through its headers.
  set(racine_pch_common
      <algorithm> <cstdint> <filesystem> <fstream> <map> <memory> <optional> <sstream>
      <string> <string_view> <unordered_map> <utility> <vector>
      <fmt/format.h> <nlohmann/json.hpp>)

  # The library's. The server's libraries (store, service, server: 8 files) have none:
  # they cannot reuse it, gcc refuses a PCH made with other flags (the library's private
  # dependencies add -pthread), and a PCH of their own costs what it saves.
  target_precompile_headers(racine_lib PRIVATE ${racine_pch_common})
  # With the PCH, gcc 12 inlines std::string's move differently in this file and reports
  # a -Warray-bounds false positive inside libstdc++ (char_traits.h): compiled without.
  set_source_files_properties(${PROJECT_SOURCE_DIR}/src/query/glossary.cpp
    DIRECTORY ${PROJECT_SOURCE_DIR}/src
    PROPERTIES SKIP_PRECOMPILE_HEADERS ON)

  # The CLI: every command's file includes CLI11 (header-only).
  target_precompile_headers(racine PRIVATE ${racine_pch_common} <CLI/CLI.hpp>)

  # The tests: GoogleTest too; one PCH for every test program (same flags).
  if(TARGET racine_unit_tests)
    target_precompile_headers(racine_unit_tests PRIVATE ${racine_pch_common} <gtest/gtest.h>)
    foreach(target racine_cli_tests racine_store_tests racine_server_tests)
      if(TARGET ${target})
        target_precompile_headers(${target} REUSE_FROM racine_unit_tests)
      endif()
    endforeach()
  endif()
endif()

# Unity builds (CMAKE_UNITY_BUILD, set by the throw-away CI presets sanitize, tsan and
# fuzz): files whose anonymous namespaces clash with a neighbour's, or that gcc warns
# about once included by another file, are compiled on their own.
# - service/routing.cpp and service/service.cpp both define hex() in an anonymous
#   namespace;
# - server/api.cpp defines a class with a member of an anonymous-namespace type, which
#   gcc reports (-Wsubobject-linkage) when the file is not the main file.
# - tests/corpus/test_corpus.cpp and tests/golden/test_golden.cpp derive a fixture from a
#   template of an anonymous-namespace type (-Wsubobject-linkage once included).
set_source_files_properties(${PROJECT_SOURCE_DIR}/src/service/routing.cpp
  ${PROJECT_SOURCE_DIR}/src/server/api.cpp
  DIRECTORY ${PROJECT_SOURCE_DIR}/src
  PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
if(TARGET racine_cli_tests)
  set_source_files_properties(${PROJECT_SOURCE_DIR}/tests/corpus/test_corpus.cpp
    ${PROJECT_SOURCE_DIR}/tests/golden/test_golden.cpp
    DIRECTORY ${PROJECT_SOURCE_DIR}/tests
    PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endif()

# ThreadSanitizer runs only the tests whose name contains "Concurrent" (the tsan test
# preset's filter), so under RACINE_TSAN racine_unit_tests is built from the files that
# define such a test, found here by their TEST(...) lines, and not from all of them.
if(RACINE_TSAN AND TARGET racine_unit_tests)
  get_target_property(racine_unit_sources racine_unit_tests SOURCES)
  get_target_property(racine_unit_dir racine_unit_tests SOURCE_DIR)
  set(racine_concurrent_sources "")
  foreach(source IN LISTS racine_unit_sources)
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${racine_unit_dir} OUTPUT_VARIABLE path)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${path})
    file(READ ${path} text)
    if(text MATCHES "TEST(_F|_P)?\\([^)]*Concurrent")
      list(APPEND racine_concurrent_sources ${path})
    endif()
  endforeach()
  if(NOT racine_concurrent_sources)
    message(FATAL_ERROR "RACINE_TSAN: no test of racine_unit_tests has Concurrent in its name")
  endif()
  message(STATUS "ThreadSanitizer: racine_unit_tests from ${racine_concurrent_sources}")
  set_property(TARGET racine_unit_tests PROPERTY SOURCES ${racine_concurrent_sources})
endif()
