# racine_embed(OUTPUT FILES name=path ...): compiles files into the binary as
# `std::string_view` constants (see core/embedded.h), so that racine never needs them
# on disk at run time. The list goes through a manifest file written at configure time.
set(RACINE_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake)
function(racine_embed output)
  cmake_parse_arguments(E "" "" "FILES" ${ARGN})
  set(deps "")
  set(manifest "")
  foreach(entry IN LISTS E_FILES)
    string(REPLACE "=" ";" parts "${entry}")
    list(GET parts 1 path)
    list(APPEND deps ${path})
    string(APPEND manifest "${entry}\n")
  endforeach()
  file(WRITE ${output}.manifest "${manifest}")
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DMANIFEST=${output}.manifest -P ${RACINE_EMBED_SCRIPT}
    DEPENDS ${deps} ${RACINE_EMBED_SCRIPT} ${output}.manifest
    COMMENT "Embedding data files")
endfunction()
