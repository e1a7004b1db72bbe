#pragma once
// Text analysis for lookups: folding (case, accents), stop words of the five corpus
// languages, Snowball stemming (libstemmer) and a small bilingual glossary of the
// domain, so that "patch", "correctif" and "Patch" meet.
//
// Titles are analysed in the matrix's language; queries in all five at once (a query
// says too little to guess its language), each word keeping every variant it has.
// docs/query.md describes what this makes work, and what it cannot.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace racine::query {

enum class Language : std::uint8_t { fr, en, de, es, it };
inline constexpr std::size_t k_languages = 5;

// "fr", "en", "de", "es", "it" -> the language; anything else -> English, the stemmer
// that does least harm to words of an unknown language.
Language language_from_code(std::string_view code);

// A term of the index: a stem ("sauvegard"), or a glossary concept ("~backup").
struct Token {
  std::string term;
  std::uint16_t position = 0;  // rank of the content word in the text
};

// One word of a query with the terms it may match and how much each match is worth.
struct QueryWord {
  std::string word;  // folded
  struct Alternative {
    std::string term;
    float weight = 1.0F;  // 1 for the word or a stem of it, less for a concept
  };
  std::vector<Alternative> alternatives;
};

// Weight of a glossary match against a stem match.
inline constexpr float k_concept_weight = 0.8F;

class Stemmers;  // libstemmer's five stemmers (analyzer.cpp)

// Not thread-safe (the stemmers keep state): one per thread.
class Analyzer {
 public:
  Analyzer();
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Terms of a title or note, in `lang`: one stem per content word, plus the concepts the
  // words evoke, at the same positions. Memoised by word.
  std::vector<Token> analyse(std::string_view text, Language lang);

  // The content words of a query with every variant: the folded word, its stem in each
  // language, and the concepts it evokes.
  std::vector<QueryWord> analyse_query(std::string_view text);

  // Snowball stem of a folded word.
  std::string stem(std::string_view folded_word, Language lang);

 private:
  std::unique_ptr<Stemmers> m_stemmers;
  // word -> (stem, concepts) per language, for titles.
  std::array<std::unordered_map<std::string, std::vector<std::string>>, k_languages> m_cache;
};

}  // namespace racine::query
