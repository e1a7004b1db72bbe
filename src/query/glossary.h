#pragma once
// The glossary of lookups: concepts of the domain with the words that name them, the
// stop words that lookups ignore, and the fillers of questions ("qui s'occupe de",
// "who is in charge of") that queries drop. It is data, not code: one file per language
// in data/glossary/ (compiled into the binary), format in docs/query.md ("Glossary").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace racine::query {

// A concept ("backup") and its words, folded. A word may be a phrase ("mise a jour"): it
// then matches those words in sequence.
struct Concept {
  std::string id;
  std::vector<std::string> words;
};

// One glossary file, parsed.
struct Glossary {
  std::vector<Concept> concepts;
  std::vector<std::string> stop_words;            // folded
  std::vector<std::vector<std::string>> fillers;  // folded words of each filler phrase
  struct Error {
    std::uint32_t line;
    std::string message;
  };
  std::vector<Error> errors;  // lines that are not "name: word, word" (skipped)
};

// Parses the text of a glossary file: "concept: word, several words, ..." a line,
// "stop: ..." and "filler: ...", '#' comments, blank lines.
Glossary parse_glossary(std::string_view text);

// The languages of the built-in glossary files, in the order they are merged.
const std::vector<std::string_view>& glossary_languages();

// Every concept of the built-in files, merged by id, in order of first appearance.
const std::vector<Concept>& glossary();

// True for a folded word that carries no meaning for a lookup ("les", "the", "qui").
bool is_stop_word(std::string_view folded_word);

// The fillers of questions, each as folded words, longest first.
const std::vector<std::vector<std::string>>& query_fillers();

}  // namespace racine::query
