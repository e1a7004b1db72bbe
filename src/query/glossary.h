#pragma once
// The built-in glossary of lookups: concepts of the domain with the words that name them
// in the five corpus languages, and the stop words that lookups ignore.

#include <string_view>
#include <vector>

namespace racine::query {

// A concept ("backup") and its words, folded, in any of the five languages. A word may
// be a phrase ("mise a jour"): it then matches those words in sequence.
struct Concept {
  std::string_view id;
  std::vector<std::string_view> words;
};

// Every concept, in a fixed order.
const std::vector<Concept>& glossary();

// True for a folded word that carries no meaning for a lookup ("les", "the", "qui").
bool is_stop_word(std::string_view folded_word);

}  // namespace racine::query
