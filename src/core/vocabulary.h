#pragma once
// Words that RACI tables use in their headers, in French, English, German, Spanish and
// Italian, and a small stop-word language guesser. All inputs are folded text
// (text::fold: lower case, no accents).

#include <optional>
#include <string>
#include <string_view>

#include "core/roles.h"

namespace racine::vocabulary {

// True for headers of the activity column: "activite", "activity", "aufgabe", "tarea"...
bool is_activity_header(std::string_view folded);

// True for headers of an identifier column: "id", "#", "ref", "nr", "n°"...
bool is_id_header(std::string_view folded);

// True for headers of free-text columns: "description", "commentaire", "sla", "notes"...
bool is_free_text_header(std::string_view folded);

// The role a header names in a roles-as-columns table: "responsible", "realise",
// "verantwortlich", "r"... nullopt otherwise.
std::optional<Role> role_header(std::string_view folded);

// The language whose frequent words `folded` uses most, among those the stemmer library
// supports (fr, en, de, es, it, pt, nl, ru, sv, da, fi); "" (unknown) when there are
// fewer than 3 such words, when the winner is not ahead by k_min_language_confidence, or
// when the text reads as Vietnamese (no stemmer). `confidence` is how far ahead of the
// runner-up it is: (best - second) / best, 0 for a tie, 1 when no other language scores.
inline constexpr double k_min_language_confidence = 0.25;
struct LanguageGuess {
  std::string code;
  double confidence = 0;
};
LanguageGuess guess_language_with_confidence(std::string_view folded);
std::string guess_language(std::string_view folded);

// A title written as a heading rather than as a task: numbered ("2. Risk Management",
// "3) Sécurité", "IV. Audit") or in capitals ("GOUVERNANCE"). A table row holding only
// such a title is a section row (docs/markdown.md); the Markdown writer marks an activity
// without roles whose title reads so with "-", so that it reads back as an activity.
bool reads_as_heading(std::string_view title);

// True when a folded note says that cells can be handed to another party under an
// extra contract (délégation, infogérance, managed services...).
bool is_delegation_note(std::string_view folded);

// The name of the extra contract a folded delegation note mentions, as folded words:
// "... via un contrat d'infogerance complementaire." -> "infogerance complementaire",
// "... an additional managed services contract." -> "additional managed services";
// "" when the note names no contract.
std::string contract_name(std::string_view folded);
// The same name as `text` writes it (accents and case kept): "infogérance complémentaire"
// for "... via un contrat d'infogérance complémentaire."; "" when it names none.
std::string contract_name_as_written(std::string_view text);

// True when folded text announces what the matrix does not cover: a "zone grise",
// "gray zone", "grey area", "Grauzone", "zona gris", "zona grigia".
bool is_gray_zone_note(std::string_view folded);

}  // namespace racine::vocabulary
