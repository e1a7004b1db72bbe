#include "query/index.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>

#include "core/text.h"
#include "query/analyzer.h"
#include "query/glossary.h"

namespace racine::query {

namespace {

// Weight of a word found in the section title only, against the activity title.
constexpr double k_section_weight = 0.35;
// Weight of a match through a typo, against an exact one.
constexpr float k_typo_weight = 0.7F;
// Postings read to gather candidates before the rarer words are considered enough.
constexpr std::size_t k_posting_budget = 200'000;
// Candidates scored exactly, at least.
constexpr std::size_t k_min_rescored = 200;
constexpr std::size_t k_max_typo_length = 64;
// A query is a question, not a document: what lies beyond these is ignored.
constexpr std::size_t k_max_query_bytes = 4096;
constexpr std::size_t k_max_query_words = 32;
// A query word the matrix has nowhere weighs half an average word: natural questions
// carry such words ("décide", "combien"), and they must not hide the words that match.
constexpr double k_unknown_weight = 0.5;
// Outcomes. The gray-zone note is the answer when it fits at least this much better
// than the best activity.
constexpr double k_note_lead = 0.0;
// The answer needs this share of the query's words, and this lead over the next title.
constexpr double k_answer_coverage = 0.6;
constexpr double k_answer_margin = 0.08;

// A known word found in at most this share of the titles says what the question is
// about ("RBAC", "documentation"); one found in more ("gérer", "Kubernetes") does not.
constexpr double k_specific_share = 0.1;
// An unfinished word is looked up as a prefix from this many letters, and stands for at
// most this many words of the matrix.
constexpr std::size_t k_min_prefix = 3;
constexpr std::size_t k_max_completions = 64;

// Typo tolerance grows with the word: none below 4 letters, 1 edit below 8, then 2.
std::size_t allowed_edits(std::size_t length) {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

// The outcome of a lookup from its best score, the share of the query's words the best
// title holds, the best title's lead over the next different title, and how well the
// gray-zone note fits (docs/query.md, "Outcomes", shows how the thresholds were chosen).
// The gray zone is called only when no activity reaches k_min_match, or when the note
// fits clearly better than an activity that is no good match: a weak candidate makes the
// answer uncertain, since calling a covered activity "billable extra work" costs most.
Outcome decide(double best, double coverage, double margin, double gray_note, double known,
               bool specific) {
  if (best <= 0 || (known < k_min_known && !specific)) return Outcome::gray_zone;
  if (best < k_good_match && gray_note >= best + k_note_lead) return Outcome::gray_zone;
  if (best >= k_good_match && coverage >= k_answer_coverage && margin >= k_answer_margin)
    return Outcome::answered;
  return Outcome::uncertain;
}

}  // namespace

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::answered: return "answered";
    case Outcome::uncertain: return "uncertain";
    case Outcome::gray_zone: return "gray_zone";
    case Outcome::empty: break;
  }
  return "empty";
}

bool Index::same_title(std::uint32_t a, std::uint32_t b) const {
  const Doc& x = m_docs[a];
  const Doc& y = m_docs[b];
  if (x.last - x.first != y.last - y.first) return false;
  for (std::uint32_t i = 0; i < x.last - x.first; ++i) {
    if (m_entries[x.first + i].term != m_entries[y.first + i].term) return false;
  }
  return true;
}

std::uint32_t Index::term_id(const std::string& term) const {
  const auto it = m_lookup.find(term);
  return it == m_lookup.end() ? k_none : it->second;
}

double Index::idf(std::uint32_t term) const {
  const double n = static_cast<double>(m_docs.size());
  return std::log(1.0 + n / std::max<double>(1.0, df(term)));
}

Index Index::build(const Matrix& m, const std::vector<MovedRow>& moved) {
  Index ix;
  Analyzer an;
  if (!m.glossary.empty()) {
    std::vector<Concept> own;
    for (const GlossaryEntry& g : m.glossary) {
      Concept c{g.concept_id, {}};
      for (const std::string& w : g.words) {
        std::string folded;
        for (const auto& part : text::words(text::fold(w))) {
          if (!folded.empty()) folded += ' ';
          folded += part;
        }
        if (!folded.empty()) c.words.push_back(std::move(folded));
      }
      own.push_back(std::move(c));
    }
    ix.m_concepts = concept_keys_with(own);
    an.use_concepts(ix.m_concepts.get());
  }
  const std::string& lang = m.language;
  // A language beyond the five: queries are stemmed in it too.
  if (!lang.empty() && lang != "fr" && lang != "en" && lang != "de" && lang != "es" &&
      lang != "it" && has_stemmer(lang)) {
    ix.m_extra_language = lang;
  }
  auto intern = [&](const std::string& t) {
    const auto [it, added] =
        ix.m_lookup.try_emplace(t, static_cast<std::uint32_t>(ix.m_terms.size()));
    if (added) ix.m_terms.push_back(t);
    return it->second;
  };
  auto add_doc = [&](std::uint32_t s, std::uint32_t a, std::string_view title) {
    Doc d{s, a, static_cast<std::uint32_t>(ix.m_entries.size()), 0, 0};
    for (const Token& t : an.analyse(title, lang)) {
      ix.m_entries.push_back({intern(t.term), t.position});
      d.words = static_cast<std::uint16_t>(std::max<unsigned>(d.words, t.position + 1U));
    }
    d.last = static_cast<std::uint32_t>(ix.m_entries.size());
    ix.m_docs.push_back(d);
  };
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    std::vector<std::uint32_t> ids;
    for (const Token& t : an.analyse(m.sections[s].title, lang)) ids.push_back(intern(t.term));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    ix.m_section_terms.push_back(std::move(ids));
    for (std::uint32_t a = 0; a < m.sections[s].activities.size(); ++a)
      add_doc(s, a, m.sections[s].activities[a].title);
  }
  if (m.gray_zone) {
    ix.m_gray_doc = static_cast<std::uint32_t>(ix.m_docs.size());
    add_doc(k_none, k_none, m.gray_zone->text);
  }
  // Postings, by counting sort: each doc once per term.
  std::vector<std::uint32_t> count(ix.m_terms.size() + 1, 0);
  std::vector<std::uint32_t> unique;
  auto unique_terms = [&](const Doc& d) {
    unique.clear();
    for (std::uint32_t e = d.first; e < d.last; ++e) unique.push_back(ix.m_entries[e].term);
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  };
  for (const Doc& d : ix.m_docs) {
    unique_terms(d);
    for (const auto t : unique) ++count[t + 1];
  }
  for (std::size_t t = 1; t < count.size(); ++t) count[t] += count[t - 1];
  ix.m_postings_start = count;
  ix.m_postings.resize(count.back());
  for (std::uint32_t doc = 0; doc < ix.m_docs.size(); ++doc) {
    unique_terms(ix.m_docs[doc]);
    for (const auto t : unique) ix.m_postings[count[t]++] = doc;
  }
  // Stems by length for typo lookups; concepts ("~...") are never typed.
  ix.m_by_length.resize(k_max_typo_length + 1);
  double idf_sum = 0;
  std::size_t idf_n = 0;
  for (std::uint32_t t = 0; t < ix.m_terms.size(); ++t) {
    const std::string& s = ix.m_terms[t];
    if (s.starts_with('~')) continue;
    if (s.size() <= k_max_typo_length) ix.m_by_length[s.size()].push_back(t);
    if (ix.df(t) > 0) {
      idf_sum += ix.idf(t);
      ++idf_n;
    }
  }
  // A word that is nowhere weighs what an average word weighs: it lowers the score of
  // every activity as much as a word they all miss.
  ix.m_unknown_idf = idf_n == 0 ? 1.0 : idf_sum / static_cast<double>(idf_n);
  // Words and stems in order, for the unfinished last word of a query being typed.
  for (std::uint32_t t = 0; t < ix.m_terms.size(); ++t) {
    if (!ix.m_terms[t].starts_with('~')) ix.m_sorted_terms.push_back(t);
  }
  std::sort(ix.m_sorted_terms.begin(), ix.m_sorted_terms.end(),
            [&](std::uint32_t a, std::uint32_t b) { return ix.m_terms[a] < ix.m_terms[b]; });
  // Titles that two activities share (the same terms, in order), by a hash of their terms.
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_title;
  for (std::uint32_t doc = 0; doc < ix.m_docs.size(); ++doc) {
    if (doc == ix.m_gray_doc) continue;
    std::uint64_t h = 1469598103934665603ULL;
    for (std::uint32_t e = ix.m_docs[doc].first; e < ix.m_docs[doc].last; ++e)
      h = (h ^ ix.m_entries[e].term) * 1099511628211ULL;
    by_title[h].push_back(doc);
  }
  for (const auto& [h, docs] : by_title) {
    for (std::size_t i = 0; i < docs.size(); ++i) {
      for (std::size_t j = i + 1; j < docs.size(); ++j) {
        if (!ix.same_title(docs[i], docs[j])) continue;
        ix.m_docs[docs[i]].shared_title = true;
        ix.m_docs[docs[j]].shared_title = true;
      }
    }
  }
  // The rows applied options moved, by doc (docs are numbered in section order).
  if (!moved.empty()) {
    std::vector<std::uint32_t> first_doc(m.sections.size() + 1, 0);
    for (std::size_t s = 0; s < m.sections.size(); ++s)
      first_doc[s + 1] = first_doc[s] + static_cast<std::uint32_t>(m.sections[s].activities.size());
    for (const MovedRow& r : moved) {
      if (r.section >= m.sections.size() || r.activity >= m.sections[r.section].activities.size())
        continue;
      auto& v = ix.m_via[first_doc[r.section] + r.activity];
      if (std::find(v.begin(), v.end(), r.option) == v.end()) v.push_back(r.option);
    }
  }
  return ix;
}

// Per-thread working memory of searches, reused from one query to the next.
class Searcher {
 public:
  Answer run(const Index& ix, std::string_view query, const SearchOptions& options);

 private:
  struct Alt {
    std::uint32_t term;
    double credit;  // weight x idf
  };
  struct Word {
    std::vector<Alt> alts;
    double max = 0;
    std::size_t postings = 0;
    bool known = false;     // found in an activity's or a section's title, not only the note
    bool specific = false;  // known, not through a typo, in at most k_specific_share of titles
  };

  struct Scored {
    double score = 0;
    double coverage = 0;  // share of the query's words found in the title itself
  };
  void resolve_words(const Index& ix, std::vector<QueryWord>& words, bool last_unfinished);
  Scored score(const Index& ix, std::uint32_t doc) const;

  Analyzer m_analyzer;
  std::vector<Word> m_words;
  std::vector<float> m_partial;        // per doc
  std::vector<std::uint32_t> m_stamp;  // per doc: last (query, word) that credited it
  std::vector<std::uint32_t> m_touched;
  std::uint32_t m_serial = 0;
};

void Searcher::resolve_words(const Index& ix, std::vector<QueryWord>& words, bool last_unfinished) {
  m_words.clear();
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto& q = words[i];
    const bool unfinished = last_unfinished && i + 1 == words.size();
    Word w;
    auto add = [&](std::uint32_t term, float weight) {
      const double credit = static_cast<double>(weight) * ix.idf(term);
      for (auto& a : w.alts) {
        if (a.term == term) {
          a.credit = std::max(a.credit, credit);
          return;
        }
      }
      w.alts.push_back({term, credit});
    };
    for (const auto& alt : q.alternatives) {
      const std::uint32_t id = ix.term_id(alt.term);
      if (id != Index::k_none) add(id, alt.weight);
    }
    if (unfinished && text::codepoints(q.word) >= k_min_prefix) {
      // The words and stems of the matrix this unfinished word begins ("sauveg":
      // "sauvegard"), as many as k_max_completions.
      const auto from = std::lower_bound(
          ix.m_sorted_terms.begin(), ix.m_sorted_terms.end(), q.word,
          [&](std::uint32_t t, const std::string& p) { return ix.m_terms[t] < p; });
      std::size_t n = 0;
      for (auto it = from; it != ix.m_sorted_terms.end() && n < k_max_completions; ++it, ++n) {
        if (!ix.m_terms[*it].starts_with(q.word)) break;
        add(*it, 1.0F);
      }
    }
    if (w.alts.empty() && unfinished) {
      // Nothing begins with it yet: no verdict on it (the caller leaves it out).
      m_words.push_back(std::move(w));
      continue;
    }
    const bool typo = w.alts.empty();
    if (w.alts.empty()) {
      // A typo: stems of the vocabulary within a few edits of the word or of its stems.
      for (const auto& alt : q.alternatives) {
        if (alt.term.starts_with('~')) continue;
        const std::size_t edits = allowed_edits(alt.term.size());
        if (edits == 0) continue;
        const std::size_t lo = alt.term.size() - edits;
        const std::size_t hi = std::min(alt.term.size() + edits, k_max_typo_length);
        for (std::size_t len = lo; len <= hi; ++len) {
          for (const std::uint32_t t : ix.m_by_length[len]) {
            // Typos keep the first letter: "watches" is not "patches".
            if (ix.m_terms[t].front() != alt.term.front()) continue;
            if (text::edit_distance(alt.term, ix.m_terms[t]) <= edits) add(t, k_typo_weight);
          }
        }
      }
    }
    // A word weighs its best alternative among activities: a term found in the gray-zone
    // note only must not make every activity look like a worse match.
    for (const auto& a : w.alts) {
      const bool note_only =
          ix.df(a.term) == 1 && ix.m_postings[ix.m_postings_start[a.term]] == ix.m_gray_doc;
      if (!note_only) w.max = std::max(w.max, a.credit);
      w.known = w.known || !note_only;  // df 0: a word of section titles only
      w.specific = w.specific || (!note_only && !typo &&
                                  static_cast<double>(ix.df(a.term)) <=
                                      k_specific_share * static_cast<double>(ix.m_docs.size()));
      w.postings += ix.df(a.term);
    }
    if (w.max == 0) {
      for (const auto& a : w.alts) w.max = std::max(w.max, a.credit);
    }
    if (w.alts.empty()) w.max = k_unknown_weight * ix.m_unknown_idf;
    m_words.push_back(std::move(w));
  }
}

Searcher::Scored Searcher::score(const Index& ix, std::uint32_t doc) const {
  const Index::Doc& d = ix.m_docs[doc];
  const std::vector<std::uint32_t>* section =
      d.section == Index::k_none ? nullptr : &ix.m_section_terms[d.section];
  double got = 0;
  double max = 0;
  std::vector<int> pos(m_words.size(), -1);
  std::uint32_t matched_positions = 0;  // bit set of title positions that matched (first 32)
  std::size_t matched_extra = 0;
  for (std::size_t i = 0; i < m_words.size(); ++i) {
    const Word& w = m_words[i];
    max += w.max;
    double best = 0;
    for (std::uint32_t e = d.first; e < d.last; ++e) {
      const auto& entry = ix.m_entries[e];
      for (const Alt& a : w.alts) {
        if (a.term == entry.term && a.credit > best) {
          best = a.credit;
          pos[i] = entry.position;
        }
      }
    }
    if (best == 0 && section != nullptr) {
      for (const Alt& a : w.alts) {
        if (std::binary_search(section->begin(), section->end(), a.term)) {
          best = std::max(best, k_section_weight * a.credit);
        }
      }
    }
    got += best;
    if (pos[i] >= 0) {
      if (pos[i] < 32) {
        matched_positions |= 1U << static_cast<unsigned>(pos[i]);
      } else {
        ++matched_extra;
      }
    }
  }
  if (max <= 0 || got <= 0) return {};
  const double coverage = std::min(1.0, got / max);
  std::size_t found = 0;
  for (const int p : pos) found += p >= 0 ? 1U : 0U;
  // Words next to each other in the query and in the title, in the same order.
  double proximity = 1;
  if (m_words.size() > 1) {
    double near = 0;
    for (std::size_t i = 0; i + 1 < m_words.size(); ++i) {
      if (pos[i] < 0 || pos[i + 1] < 0) continue;
      const int gap = pos[i + 1] - pos[i];
      if (gap > 0 && gap <= 2) {
        near += 1;
      } else if (gap < 0 && gap >= -2) {
        near += 0.5;
      }
    }
    proximity = near / static_cast<double>(m_words.size() - 1);
  }
  // Of two titles that hold the query, the one that says less else fits better.
  const double matched = static_cast<double>(
      static_cast<std::size_t>(std::popcount(matched_positions)) + matched_extra);
  const double precision = d.words == 0 ? 0 : std::min(1.0, matched / d.words);
  return {coverage * (0.7 + 0.3 * proximity) * (0.85 + 0.15 * precision),
          static_cast<double>(found) / static_cast<double>(m_words.size())};
}

Answer Searcher::run(const Index& ix, std::string_view query, const SearchOptions& options) {
  const std::size_t limit = options.limit;
  Answer out;
  std::size_t cut = std::min(query.size(), k_max_query_bytes);
  while (cut < query.size() && cut > 0 && (static_cast<unsigned char>(query[cut]) & 0xC0U) == 0x80U)
    --cut;
  m_analyzer.use_concepts(ix.m_concepts.get());
  std::vector<QueryWord> words =
      m_analyzer.analyse_query(query.substr(0, cut), ix.m_extra_language);
  // The last word is unfinished when the query is being typed and nothing (a space, a
  // punctuation mark) follows it.
  bool last_unfinished = false;
  if (options.partial && !words.empty() && words.size() <= k_max_query_words) {
    const std::vector<std::string> raw = m_analyzer.words(query.substr(0, cut));
    const std::string_view q = query.substr(0, cut);
    const auto tail = q.empty() ? 0U : static_cast<unsigned char>(q.back());
    const bool ends_in_word = tail >= 0x80 || std::isalnum(static_cast<int>(tail)) != 0;
    last_unfinished = ends_in_word && !raw.empty() && raw.back() == words.back().word;
  }
  if (words.size() > k_max_query_words) words.resize(k_max_query_words);
  if (words.empty()) return out;
  if (ix.m_docs.empty()) {
    if (last_unfinished && words.size() == 1) return out;  // no verdict on a half word
    out.outcome = Outcome::gray_zone;
    out.gray_zone = true;
    return out;
  }
  resolve_words(ix, words, last_unfinished);
  if (last_unfinished && m_words.back().alts.empty()) {
    // A half-typed word the matrix has nothing beginning with: left out, as if not typed.
    m_words.pop_back();
    if (m_words.empty()) return out;
  }
  std::size_t known = 0;
  for (const Word& w : m_words) {
    known += w.known ? 1U : 0U;
    out.specific = out.specific || w.specific;
  }
  out.known = static_cast<double>(known) / static_cast<double>(m_words.size());
  if (m_partial.size() < ix.m_docs.size()) {
    m_partial.assign(ix.m_docs.size(), 0);
    m_stamp.assign(ix.m_docs.size(), 0);
  }
  m_touched.clear();
  // Candidates: the postings of the rarest words first, until the budget is spent.
  std::vector<std::size_t> order(m_words.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return m_words[a].postings < m_words[b].postings;
  });
  std::size_t read = 0;
  for (const std::size_t i : order) {
    const Word& w = m_words[i];
    if (w.alts.empty()) continue;
    if (read > 0 && read + w.postings > k_posting_budget) break;
    read += w.postings;
    ++m_serial;
    if (m_serial == 0) {  // wrapped: forget every stamp
      std::fill(m_stamp.begin(), m_stamp.end(), 0);
      m_serial = 1;
    }
    // Highest credit first, so that a doc holding two variants of the word counts once.
    std::vector<Alt> alts = w.alts;
    std::sort(alts.begin(), alts.end(),
              [](const Alt& a, const Alt& b) { return a.credit > b.credit; });
    for (const Alt& a : alts) {
      for (std::uint32_t p = ix.m_postings_start[a.term]; p < ix.m_postings_start[a.term + 1];
           ++p) {
        const std::uint32_t doc = ix.m_postings[p];
        if (m_stamp[doc] == m_serial) continue;
        m_stamp[doc] = m_serial;
        if (m_partial[doc] == 0) m_touched.push_back(doc);
        m_partial[doc] += static_cast<float>(a.credit);
      }
    }
  }
  // The best partial scores get an exact score.
  const std::size_t keep = std::max(k_min_rescored, limit * 20);
  if (m_touched.size() > keep) {
    std::nth_element(m_touched.begin(), m_touched.begin() + static_cast<std::ptrdiff_t>(keep),
                     m_touched.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return m_partial[a] > m_partial[b]; });
  }
  const std::size_t n = std::min(keep, m_touched.size());
  struct Candidate {
    Match match;
    std::uint32_t doc;
    double coverage;
  };
  std::vector<Candidate> scored;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t doc = m_touched[k];
    if (doc == ix.m_gray_doc) continue;
    const Scored s = score(ix, doc);
    if (s.score >= k_min_match)
      scored.push_back(
          {{ix.m_docs[doc].section, ix.m_docs[doc].activity, s.score, false, {}}, doc, s.coverage});
  }
  for (const std::uint32_t doc : m_touched) m_partial[doc] = 0;
  std::sort(scored.begin(), scored.end(), [](const Candidate& a, const Candidate& b) {
    if (a.match.score != b.match.score) return a.match.score > b.match.score;
    return a.match.section != b.match.section ? a.match.section < b.match.section
                                              : a.match.activity < b.match.activity;
  });
  if (ix.m_gray_doc != Index::k_none) out.gray_zone_score = score(ix, ix.m_gray_doc).score;
  if (!scored.empty()) {
    const Candidate& best = scored.front();
    out.coverage = best.coverage;
    out.margin = best.match.score;
    // The lead over the next title that differs: twins (the same title in two sections)
    // do not make the answer less certain.
    for (std::size_t k = 1; k < scored.size(); ++k) {
      if (!ix.same_title(scored[k].doc, best.doc)) {
        out.margin = best.match.score - scored[k].match.score;
        break;
      }
    }
  }
  out.outcome = decide(scored.empty() ? 0 : scored.front().match.score, out.coverage, out.margin,
                       out.gray_zone_score, out.known, out.specific);
  out.gray_zone = out.outcome == Outcome::gray_zone;
  if (scored.size() > limit) scored.resize(limit);
  for (auto& c : scored) {
    c.match.shared_title = ix.m_docs[c.doc].shared_title;
    if (const auto v = ix.m_via.find(c.doc); v != ix.m_via.end()) c.match.via = v->second;
    out.matches.push_back(std::move(c.match));
  }
  return out;
}

Answer Index::search(std::string_view query, std::size_t limit) const {
  return search(query, SearchOptions{limit, false});
}

Answer Index::search(std::string_view query, const SearchOptions& options) const {
  thread_local Searcher searcher;
  return searcher.run(*this, query, options);
}

}  // namespace racine::query
