// Chooses the language of racine's messages and binds its gettext catalog.

#include "cli/messages.h"

#include <libintl.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

namespace racine::cli {

namespace {

constexpr const char* k_domain = "racine";

// The folder holding LANG/LC_MESSAGES/racine.mo: beside the binary in a build tree
// (build/locale), under ../share/locale in an installation (wherever it was moved),
// else where it was meant to be installed.
// Without /proc (a bare chroot), the folder of argv[0] when it names a path, else the
// folders of PATH holding racine, stand in for the binary's.
std::string catalog_dir(const char* argv0) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> binaries;
  if (const fs::path exe = fs::read_symlink("/proc/self/exe", ec); !ec) binaries.push_back(exe);
  const std::string_view arg0 = argv0 != nullptr ? argv0 : "";
  if (arg0.find('/') != std::string_view::npos) {
    binaries.emplace_back(arg0);
  } else if (const char* path = std::getenv("PATH"); path != nullptr && !arg0.empty()) {
    std::string_view rest(path);
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      binaries.push_back(fs::path(rest.substr(0, colon)) / arg0);
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    }
  }
  for (const fs::path& exe : binaries) {
    const fs::path here = exe.parent_path();
    for (const fs::path& dir : {here / "locale", here / ".." / "share" / "locale"}) {
      if (fs::exists(dir / "fr" / "LC_MESSAGES" / "racine.mo", ec)) return dir.string();
    }
  }
  return RACINE_LOCALEDIR;
}

// The language part of the locale the environment names for messages, as setlocale
// would read it (LC_ALL, then LC_MESSAGES, then LANG): "fr" for "fr_FR.UTF-8".
std::string requested_language() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') continue;
    const std::string_view s(v);
    return std::string(s.substr(0, s.find_first_of("_.@")));
  }
  return "";
}

}  // namespace

void init_messages(const char* argv0) {
  if (std::setlocale(LC_MESSAGES, "") == nullptr) {
    // The locale the environment names is not installed (a container, a minimal
    // system): gettext would speak English. Messages need only the language: C.UTF-8
    // always exists, and gettext takes the language from LANGUAGE under it.
    const std::string language = requested_language();
    const char* given = std::getenv("LANGUAGE");
    if (std::setlocale(LC_MESSAGES, "C.UTF-8") != nullptr && (given == nullptr || *given == '\0') &&
        !language.empty() && language != "C" && language != "POSIX")
      setenv("LANGUAGE", language.c_str(), 1);
  }
  const std::string dir = catalog_dir(argv0);
  bindtextdomain(k_domain, dir.c_str());
  // Catalogs are UTF-8 and racine writes UTF-8 whatever LC_CTYPE says (it is left "C":
  // numbers and character classes never depend on the locale).
  bind_textdomain_codeset(k_domain, "UTF-8");
  textdomain(k_domain);
}

const char* tr(const char* msgid) {
  return dgettext(k_domain, msgid);
}

std::string message_language() {
  // TRANSLATORS: the code of the language of this catalog ("fr" in fr.po).
  return tr("en");
}

}  // namespace racine::cli
