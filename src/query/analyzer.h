#pragma once
// Text analysis for lookups: folding (case, accents), stop words of the five corpus
// languages, Snowball stemming (libstemmer), the glossary of the domain (data/glossary/)
// so that "patch", "correctif" and "Patch" meet, and word segmentation of Chinese,
// Japanese and Korean with ICU's word break iterator.
//
// Titles are analysed in the matrix's language (any language libstemmer has: "nl",
// "pt", "sv"...); queries in the five corpus languages and the matrix's at once (a
// query says too little to guess its language), each word keeping every variant it
// has. docs/query.md describes what this makes work, and what it cannot.

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
// Weight of the stems of a query word that names a concept: "utilisateurs" means users,
// and its French stem "utilis" must not outrank that by meeting "utilisation".
inline constexpr float k_concept_word_stem_weight = 0.55F;
// Weight of a two-character piece of a Chinese, Japanese or Korean word.
inline constexpr float k_bigram_weight = 0.7F;

struct Concept;      // query/glossary.h
struct ConceptKeys;  // a glossary keyed for lookups (analyzer.cpp)

// The built-in glossary with `extra` concepts merged in by id (a matrix's own glossary,
// its words folded): for Analyzer::use_concepts.
std::shared_ptr<const ConceptKeys> concept_keys_with(const std::vector<Concept>& extra);

class Stemmers;   // libstemmer's stemmers (analyzer.cpp)
class Segmenter;  // ICU's word break iterator (analyzer.cpp)

// Not thread-safe (the stemmers and the break iterator keep state): one per thread.
class Analyzer {
 public:
  Analyzer();
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Terms of a title or note, in `lang`: one stem per content word, plus the concepts the
  // words evoke, at the same positions. Memoised by word.
  std::vector<Token> analyse(std::string_view text, Language lang);
  // The same in the language of an ISO 639-1 code: one of the five, another language
  // libstemmer has ("nl", "pt", "ru"...), else English stems.
  std::vector<Token> analyse(std::string_view text, std::string_view lang_code);

  // The content words of a query with every variant: the folded word, its stem in each
  // of the five languages (and in `extra_lang`, a matrix's language beyond them), and
  // the concepts it evokes. Question fillers ("qui s'occupe de") are dropped.
  std::vector<QueryWord> analyse_query(std::string_view text, std::string_view extra_lang = {});

  // Concepts from these keys instead of the built-in glossary's (nullptr: back to the
  // built-in). The keys must outlive their use.
  void use_concepts(const ConceptKeys* keys);

  // Snowball stem of a folded word.
  std::string stem(std::string_view folded_word, Language lang);

  // The folded words of a text: split on what is not a letter or a digit, and Chinese,
  // Japanese and Korean runs cut into words by ICU.
  std::vector<std::string> words(std::string_view text);

 private:
  std::vector<Token> analyse_with(std::string_view text, std::size_t stemmer);
  std::unique_ptr<Stemmers> m_stemmers;
  std::unique_ptr<Segmenter> m_segmenter;
  const ConceptKeys* m_keys;
  std::uint64_t m_keys_serial;
  // (stemmer, word) -> (stem, concepts), for titles.
  std::unordered_map<std::string, std::vector<std::string>> m_cache;
  // (extra language, word) -> its stems in each language, for queries; emptied when it
  // reaches k_max_memo words.
  std::unordered_map<std::string, std::vector<std::string>> m_query_stems;
  static constexpr std::size_t k_max_memo = 50000;
};

// True when libstemmer has a stemmer for this ISO 639-1 code or language name.
bool has_stemmer(std::string_view lang_code);

}  // namespace racine::query
