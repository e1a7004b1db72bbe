#pragma once
// The search index of a matrix, built once and then queried many times (`racine who`,
// the server's lookups, later alert routing). It answers "which activities is this
// about?" with scores in [0, 1], and says when the matrix's gray zone fits better
// than any activity.
//
// An inverted index of stems and glossary concepts over activity titles (section titles
// count for less); typos are matched against the vocabulary; candidates are gathered
// from the rarest query terms first, then scored exactly. Searching is thread-safe: the
// index is immutable and each thread has its own analyser and scratch space.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/matrix.h"

namespace racine::query {

struct ConceptKeys;  // query/analyzer.h

// What a lookup concluded (docs/query.md, "Outcomes").
enum class Outcome : std::uint8_t {
  answered,   // one activity is a confident match
  uncertain,  // candidates, best first, none confident enough to be the answer
  gray_zone,  // the matrix covers nothing like it (or its gray-zone note fits best)
  empty,      // the query has no content word ("qui est le ?")
};

// "answered", "uncertain", "gray_zone", "empty".
std::string_view outcome_name(Outcome o);

// One activity that matches a query.
struct Match {
  std::uint32_t section = 0;
  std::uint32_t activity = 0;
  double score = 0;  // 1: every query word found, in order; 0: nothing
  // Another activity of the matrix has the same title (in another section): show the
  // section with it.
  bool shared_title = false;
  // The contract options that changed this row's roles ("infogerance-complementaire"),
  // as Index::build was told.
  std::vector<std::string> via;
};

// A row an applied option changed (from resolve::apply's changes), for Index::build.
struct MovedRow {
  std::uint32_t section = 0;
  std::uint32_t activity = 0;
  std::string option;
};

// How a lookup reads its query.
struct SearchOptions {
  std::size_t limit = 10;
  // The query is being typed: its last word, unless a space or punctuation follows it,
  // may be unfinished. It matches the words of the matrix it begins, and when it begins
  // none it is left out of the verdict ("qui sauveg" is not the gray zone).
  bool partial = false;
};

struct Answer {
  std::vector<Match> matches;  // best first
  Outcome outcome = Outcome::empty;
  // outcome == Outcome::gray_zone (kept for programs that read only this).
  bool gray_zone = false;
  double gray_zone_score = 0;  // how well the gray-zone note matches (0 when there is none)
  // What the outcome was decided on: the share of the query's content words the best
  // match holds in its title, and its lead over the best match with another title.
  double coverage = 0;
  double margin = 0;
  // The share of the query's content words the matrix's activities and sections hold
  // (exactly, by stem, concept or typo), and whether one of them is specific: found
  // without a typo, in at most a tenth of the titles ("RBAC", "noeuds"; not "gérer",
  // "Kubernetes"). Under k_min_known with no specific word, the query is the gray zone,
  // however its closest activity scores.
  double known = 0;
  bool specific = false;
};

// Share of a query's words the matrix must know for the query to be covered at all.
inline constexpr double k_min_known = 0.5;

// Score at or above which the best match may be the answer (docs/query.md shows how
// the thresholds were chosen).
inline constexpr double k_good_match = 0.5;
// Score under which a match is not shown at all.
inline constexpr double k_min_match = 0.15;

class Index {
 public:
  // Indexes the titles of `m` (in its language) and its gray-zone note. The index keeps
  // positions (section, activity), not the matrix: search results refer into `m`.
  // `moved`: the rows applied options changed, named in the answers' Match::via.
  static Index build(const Matrix& m, const std::vector<MovedRow>& moved = {});

  // The best `limit` activities for `query`, each scoring at least k_min_match. Only the
  // first 4 KiB and 32 content words of a query count.
  [[nodiscard]] Answer search(std::string_view query, std::size_t limit = 10) const;
  [[nodiscard]] Answer search(std::string_view query, const SearchOptions& options) const;

  [[nodiscard]] std::size_t documents() const { return m_docs.size(); }
  [[nodiscard]] std::size_t terms() const { return m_terms.size(); }

 private:
  struct Entry {
    std::uint32_t term;
    std::uint16_t position;
  };
  struct Doc {
    std::uint32_t section;
    std::uint32_t activity;
    std::uint32_t first;  // entries [first, last) in m_entries
    std::uint32_t last;
    std::uint16_t words;  // content words of the title
    bool shared_title = false;
  };

  static constexpr std::uint32_t k_none = 0xFFFFFFFFU;
  [[nodiscard]] std::uint32_t term_id(const std::string& term) const;
  [[nodiscard]] bool same_title(std::uint32_t a, std::uint32_t b) const;
  [[nodiscard]] double idf(std::uint32_t term) const;
  [[nodiscard]] std::uint32_t df(std::uint32_t term) const {
    return m_postings_start[term + 1] - m_postings_start[term];
  }

  std::vector<std::string> m_terms;                         // term id -> text
  std::unordered_map<std::string, std::uint32_t> m_lookup;  // text -> term id
  std::vector<std::vector<std::uint32_t>> m_by_length;      // stems by length, for typos
  std::vector<std::uint32_t> m_postings_start;              // term id -> first posting (terms + 1)
  std::vector<std::uint32_t> m_postings;                    // doc ids, ascending within a term
  std::vector<Entry> m_entries;                             // per doc, by position
  std::vector<Doc> m_docs;                                  // activities, then the gray zone
  std::vector<std::vector<std::uint32_t>> m_section_terms;  // sorted term ids per section
  std::uint32_t m_gray_doc = k_none;                        // doc of the gray-zone note
  double m_unknown_idf = 1;                                 // weight of a word found nowhere
  std::shared_ptr<const ConceptKeys> m_concepts;  // with the matrix's glossary; null: built-in
  std::string m_extra_language;  // the matrix's language when libstemmer has it beyond the five
  std::vector<std::uint32_t> m_sorted_terms;  // word and stem terms, sorted: prefix lookups
  std::unordered_map<std::uint32_t, std::vector<std::string>> m_via;  // doc -> options

  friend class Searcher;
};

}  // namespace racine::query
