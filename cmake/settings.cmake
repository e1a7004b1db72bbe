# Warnings and sanitizer flags as INTERFACE targets linked by every first-party target.
add_library(racine_warnings INTERFACE)
target_compile_options(racine_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wconversion -Wsign-conversion -Wnull-dereference -Wdouble-promotion -Wformat=2)

add_library(racine_sanitizers INTERFACE)
set(_san "")
if(RACINE_ASAN)
  list(APPEND _san address)
endif()
if(RACINE_UBSAN)
  list(APPEND _san undefined)
endif()
if(RACINE_TSAN)
  if(RACINE_ASAN)
    message(FATAL_ERROR "RACINE_TSAN and RACINE_ASAN cannot be combined")
  endif()
  list(APPEND _san thread)
endif()
if(_san)
  list(JOIN _san "," _san_list)
  target_compile_options(racine_sanitizers INTERFACE -fsanitize=${_san_list} -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  target_link_options(racine_sanitizers INTERFACE -fsanitize=${_san_list})
endif()
if(RACINE_FUZZ)
  target_compile_options(racine_sanitizers INTERFACE -fsanitize=fuzzer-no-link,address,undefined
    -fno-omit-frame-pointer)
  target_link_options(racine_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
