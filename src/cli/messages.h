#pragma once
// The language of racine's own messages and help: English by default, French when the
// environment asks for it (LC_ALL, LC_MESSAGES, LANG, then LANGUAGE, as gettext reads
// them). Translations are GNU gettext catalogs (po/fr.po, compiled to racine.mo).
// Findings, reader diagnostics and machine outputs (JSON, SARIF) stay in English: tools
// and tests match them (docs/output.md, "Language of messages").

#include <fmt/format.h>

#include <string>

namespace racine::cli {

// Reads the environment and binds the catalog. Called once, first thing in main.
// `argv0` locates the catalogs of a build tree or of an installation moved elsewhere.
void init_messages(const char* argv0);

// The translation of `msgid` in the chosen language (`msgid` itself in English or when
// no catalog has it). xgettext extracts the arguments of tr() and N_().
const char* tr(const char* msgid);

// Marks a string for extraction where it cannot be translated yet (static tables).
constexpr const char* N_(const char* msgid) {
  return msgid;
}

// fmt::format with a translated format string; a translation whose placeholders do not
// match its arguments falls back to the English text instead of throwing.
template <typename... Args>
std::string trf(const char* msgid, Args&&... args) {
  try {
    return fmt::format(fmt::runtime(tr(msgid)), args...);
  } catch (const fmt::format_error&) {
    return fmt::format(fmt::runtime(msgid), args...);
  }
}

// "fr" or "en": the language messages are printed in.
std::string message_language();

}  // namespace racine::cli
