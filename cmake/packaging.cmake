# Installation and the Debian package (docs/packaging.md).
#   cmake --install build [--prefix P]   what `make install` does (P = /usr/local)
#   cpack --config build/CPackConfig.cmake -G DEB   what `make deb` does
# Both install the binary, kubectl-raci (a link to it: kubectl's plugin name), the man
# page, the bash, zsh and fish completions, and (src/CMakeLists.txt) the message
# catalogs under share/locale. The man page and the completions are
# written by the built binary itself (`racine man`, `racine completion SHELL`), from its
# own command-line definition, so they can never disagree with it.

set(RACINE_SHARE_DIR ${CMAKE_BINARY_DIR}/share)
set(RACINE_SHARE_FILES
  ${RACINE_SHARE_DIR}/racine.1.gz
  ${RACINE_SHARE_DIR}/fr/racine.1.gz
  ${RACINE_SHARE_DIR}/racine.bash
  ${RACINE_SHARE_DIR}/_racine
  ${RACINE_SHARE_DIR}/racine.fish)
# gzip -9n: Debian's policy for man pages (-n leaves the name and time out, so the same
# page gives the same bytes).
set(racine_bin $<TARGET_FILE:racine>)
set(out ${RACINE_SHARE_DIR})
# In English (the French page in French) whatever the language of the build's
# environment (the messages follow LC_ALL, LC_MESSAGES, LANG and LANGUAGE: docs/output.md).
set(english env -u LANGUAGE -u LC_MESSAGES -u LANG LC_ALL=C.UTF-8)
add_custom_command(OUTPUT ${RACINE_SHARE_FILES}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${out}
  COMMAND ${english} sh -c "'${racine_bin}' man > '${out}/racine.1' && gzip -9nf '${out}/racine.1'"
  COMMAND ${CMAKE_COMMAND} -E make_directory ${out}/fr
  COMMAND env -u LANGUAGE -u LC_MESSAGES -u LANG LC_ALL=fr_FR.UTF-8 sh -c
          "'${racine_bin}' man > '${out}/fr/racine.1' && gzip -9nf '${out}/fr/racine.1'"
  COMMAND ${english} sh -c "'${racine_bin}' completion bash > '${out}/racine.bash'"
  COMMAND ${english} sh -c "'${racine_bin}' completion zsh > '${out}/_racine'"
  COMMAND ${english} sh -c "'${racine_bin}' completion fish > '${out}/racine.fish'"
  DEPENDS racine
  COMMENT "Writing racine's man page and shell completions"
  VERBATIM)
add_custom_target(racine_share ALL DEPENDS ${RACINE_SHARE_FILES})

install(TARGETS racine RUNTIME DESTINATION bin)
# kubectl-raci -> racine, made when installing (a dangling link in the build tree would
# look missing to Ninja, which would then rerun the step above on every build).
install(CODE "
  message(STATUS \"Installing: \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/kubectl-raci\")
  file(CREATE_LINK racine \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/kubectl-raci\" SYMBOLIC)
")
install(FILES ${RACINE_SHARE_DIR}/racine.1.gz DESTINATION share/man/man1)
# The French page (racine man in French: `man racine` under a French locale finds it).
install(FILES ${RACINE_SHARE_DIR}/fr/racine.1.gz DESTINATION share/man/fr/man1)
install(FILES ${RACINE_SHARE_DIR}/racine.bash DESTINATION share/bash-completion/completions
  RENAME racine)
install(FILES ${RACINE_SHARE_DIR}/racine.fish DESTINATION share/fish/vendor_completions.d)
# zsh searches share/zsh/vendor-completions under /usr (where Debian's packages put theirs)
# and share/zsh/site-functions under /usr/local: the folder is chosen when installing, by
# the prefix (`make install` uses /usr/local, the .deb /usr).
install(CODE "
  if(CMAKE_INSTALL_PREFIX MATCHES \"/usr$\")
    set(racine_zsh_dir share/zsh/vendor-completions)
  else()
    set(racine_zsh_dir share/zsh/site-functions)
  endif()
  file(INSTALL \"${RACINE_SHARE_DIR}/_racine\"
    DESTINATION \"\${CMAKE_INSTALL_PREFIX}/\${racine_zsh_dir}\"
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
")

# The Debian package: racine_VERSION_ARCH.deb, its Depends computed by dpkg-shlibdeps from
# the libraries the binary links (only the runtime libraries, never a test tool).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME racine)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "racine maintainers <maintainers@users.noreply.b-seed-54852227.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "check, query and act on responsibility assignment (RACI) matrices")
# (CPack puts the summary first and indents these lines as Debian's control file wants.)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "racine reads RACI matrices (Markdown tables, canonical YAML or JSON), lints them
against its rule catalog (text, JSON, SARIF or GitHub Actions annotations), answers
who does what, compares versions, exports them (HTML, XLSX, OSCAL) and serves them
over HTTP. Also installed as kubectl-raci, a kubectl plugin.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)
