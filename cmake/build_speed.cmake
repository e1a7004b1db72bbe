# Build time (docs/testing.md, "CI time"). Applied here, after every target exists, so
# that the targets' own CMakeLists.txt stay as they are. Precompiled headers were
# measured and not kept: slower at -O3 and they make gcc 12 report -Warray-bounds false
# positives inside libstdc++ (docs/testing.md).

# Unity builds (CMAKE_UNITY_BUILD, set by the throw-away CI presets sanitize, tsan and
# fuzz): files whose anonymous namespaces clash with a neighbour's, or that gcc warns
# about once included by another file, are compiled on their own.
# - server/api.cpp defines a class with a member of an anonymous-namespace type, which
#   gcc reports (-Wsubobject-linkage) when the file is not the main file.
# - tests/corpus/test_corpus.cpp and tests/golden/test_golden.cpp derive a fixture from a
#   template of an anonymous-namespace type (-Wsubobject-linkage once included).
set_source_files_properties(${PROJECT_SOURCE_DIR}/src/server/api.cpp
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
