# One wrapper target per third-party dependency, all from Debian packages
# (scripts/deps.sh installs them). Packages without a CMake config go through pkg-config.
find_package(PkgConfig REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
pkg_check_modules(CMARK_GFM REQUIRED IMPORTED_TARGET libcmark-gfm)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)

find_library(CMARK_GFM_EXTENSIONS_LIB NAMES cmark-gfm-extensions REQUIRED)
add_library(racine_dep_cmark INTERFACE)
target_link_libraries(racine_dep_cmark INTERFACE PkgConfig::CMARK_GFM ${CMARK_GFM_EXTENSIONS_LIB})

add_library(racine_dep_utf8proc INTERFACE)
target_link_libraries(racine_dep_utf8proc INTERFACE PkgConfig::UTF8PROC)

add_library(racine_dep_yaml INTERFACE)
if(TARGET yaml-cpp::yaml-cpp)
  target_link_libraries(racine_dep_yaml INTERFACE yaml-cpp::yaml-cpp)
else()
  target_link_libraries(racine_dep_yaml INTERFACE yaml-cpp)
endif()

# libyaml (C), whose event parser builds the positioned tree of canonical YAML and JSON,
# Kubernetes manifests and rules files (formats/tree.cpp).
pkg_check_modules(LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)
add_library(racine_dep_libyaml INTERFACE)
target_link_libraries(racine_dep_libyaml INTERFACE PkgConfig::LIBYAML)

# libstemmer (Snowball) ships neither a CMake config nor a pkg-config file.
find_path(STEMMER_INCLUDE_DIR libstemmer.h REQUIRED)
find_library(STEMMER_LIB NAMES stemmer REQUIRED)
add_library(racine_dep_stemmer INTERFACE)
target_include_directories(racine_dep_stemmer INTERFACE ${STEMMER_INCLUDE_DIR})
target_link_libraries(racine_dep_stemmer INTERFACE ${STEMMER_LIB})

# ICU, for the word break iterator that cuts Chinese, Japanese and Korean text into
# words for lookups (query/analyzer.cpp), and for the time zones and calendars of
# parties' working hours (route/hours.cpp).
find_package(ICU REQUIRED COMPONENTS uc i18n)
add_library(racine_dep_icu INTERFACE)
target_link_libraries(racine_dep_icu INTERFACE ICU::uc ICU::i18n)

# libical (Debian's libical-dev): holidays given as an iCalendar file, recurrences
# expanded (route/hours.cpp).
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET libical)
add_library(racine_dep_ical INTERFACE)
target_link_libraries(racine_dep_ical INTERFACE PkgConfig::LIBICAL)

# RE2, for Alertmanager-style label matchers (anchored regular expressions, linear time).
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
add_library(racine_dep_re2 INTERFACE)
target_link_libraries(racine_dep_re2 INTERFACE PkgConfig::RE2)

# OpenSSL's libcrypto, for SHA-1 in name-based (version 5) UUIDs of the OSCAL export.
find_package(OpenSSL REQUIRED)
add_library(racine_dep_crypto INTERFACE)
target_link_libraries(racine_dep_crypto INTERFACE OpenSSL::Crypto)

# libxlsxwriter, for the XLSX export.
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
add_library(racine_dep_xlsx INTERFACE)
target_link_libraries(racine_dep_xlsx INTERFACE PkgConfig::XLSXWRITER)

# The server's store: SQLite (the default engine) and libpq (PostgreSQL).
find_package(SQLite3 REQUIRED)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
add_library(racine_dep_store INTERFACE)
target_link_libraries(racine_dep_store INTERFACE SQLite::SQLite3 PkgConfig::LIBPQ)

# The server: Boost.Beast and Asio (header-only in Boost 1.81) and libsodium (tokens).
find_package(Boost 1.81 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
add_library(racine_dep_beast INTERFACE)
target_link_libraries(racine_dep_beast INTERFACE Boost::headers Threads::Threads)
target_compile_definitions(racine_dep_beast INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
add_library(racine_dep_sodium INTERFACE)
target_link_libraries(racine_dep_sodium INTERFACE PkgConfig::SODIUM)

# Alert deliveries: webhooks (HTTP) and email (SMTP) through libcurl.
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
add_library(racine_dep_curl INTERFACE)
target_link_libraries(racine_dep_curl INTERFACE PkgConfig::CURL)

# Signing people in (identity/): the ID token's JOSE checks by Rhonabwy (Debian's
# librhonabwy-dev, over GnuTLS and Jansson).
pkg_check_modules(RHONABWY REQUIRED IMPORTED_TARGET librhonabwy)
add_library(racine_dep_rhonabwy INTERFACE)
target_link_libraries(racine_dep_rhonabwy INTERFACE PkgConfig::RHONABWY)

# Receivers whose request is a template (notify/channels.h): Mustache by kainjow
# (Debian's libkainjow-mustache-dev, one header).
find_path(KAINJOW_MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
add_library(racine_dep_mustache INTERFACE)
target_include_directories(racine_dep_mustache SYSTEM INTERFACE ${KAINJOW_MUSTACHE_INCLUDE_DIR})
