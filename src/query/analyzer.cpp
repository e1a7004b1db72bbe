#include "query/analyzer.h"

#include <libstemmer.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "core/text.h"
#include "query/glossary.h"

namespace racine::query {

namespace {

constexpr std::array<const char*, k_languages> k_algorithms = {"french", "english", "german", "spanish",
                                                                "italian"};
constexpr std::array<Language, k_languages> k_all = {Language::fr, Language::en, Language::de, Language::es,
                                                     Language::it};
// Stems and words shorter than this evoke a concept only when they are the glossary's
// word itself: "ci" is a pipeline, a two-letter stem of something else is not.
constexpr std::size_t k_min_stem_key = 4;

std::string concept_term(std::string_view id) {
  std::string t(1, '~');
  t.append(id);
  return t;
}

}  // namespace

class Stemmers {
 public:
  Stemmers() {
    for (std::size_t i = 0; i < k_languages; ++i) {
      s[i] = sb_stemmer_new(k_algorithms[i], "UTF_8");
      if (s[i] == nullptr) throw std::runtime_error(std::string("libstemmer has no ") + k_algorithms[i]);
    }
  }
  ~Stemmers() {
    for (auto* p : s) sb_stemmer_delete(p);
  }
  Stemmers(const Stemmers&) = delete;
  Stemmers& operator=(const Stemmers&) = delete;
  std::string stem(std::string_view w, Language lang) const {
    if (w.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return std::string(w);
    sb_stemmer* st = s[static_cast<std::size_t>(lang)];
    const sb_symbol* out = sb_stemmer_stem(st, reinterpret_cast<const sb_symbol*>(w.data()), static_cast<int>(w.size()));
    if (out == nullptr) return std::string(w);  // out of memory: the word itself still works
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(st))};
  }

 private:
  std::array<sb_stemmer*, k_languages> s{};
};

namespace {

// The glossary, keyed for lookups: single words by themselves and by their stem in each
// language; phrases by their first word.
struct ConceptKeys {
  std::unordered_map<std::string, std::vector<std::string>> words;  // key -> concept terms
  struct Phrase {
    std::vector<std::string> words;
    std::string term;
  };
  std::unordered_map<std::string, std::vector<Phrase>> phrases;  // first word -> phrases

  void add(const std::string& key, const std::string& term) {
    auto& v = words[key];
    if (std::find(v.begin(), v.end(), term) == v.end()) v.push_back(term);
  }
};

// Built on first use, once, with stemmers of its own (magic statics make it thread-safe).
const ConceptKeys& concept_keys() {
  static const ConceptKeys keys = [] {
    ConceptKeys k;
    const Stemmers stemmers;
    for (const auto& c : glossary()) {
      const std::string term = concept_term(c.id);
      for (const std::string_view word : c.words) {
        const std::vector<std::string> ws = text::words(text::fold(word));
        if (ws.empty()) continue;
        if (ws.size() > 1) {
          k.phrases[ws.front()].push_back({ws, term});
          continue;
        }
        k.add(ws.front(), term);
        if (ws.front().size() < k_min_stem_key) continue;
        for (const Language l : k_all) {
          const std::string st = stemmers.stem(ws.front(), l);
          if (st.size() >= k_min_stem_key) k.add(st, term);
        }
      }
    }
    return k;
  }();
  return keys;
}

}  // namespace

Language language_from_code(std::string_view code) {
  if (code == "fr") return Language::fr;
  if (code == "de") return Language::de;
  if (code == "es") return Language::es;
  if (code == "it") return Language::it;
  return Language::en;
}

Analyzer::Analyzer() : m_stemmers(std::make_unique<Stemmers>()) { (void)concept_keys(); }
Analyzer::~Analyzer() = default;

std::string Analyzer::stem(std::string_view folded_word, Language lang) {
  return m_stemmers->stem(folded_word, lang);
}

std::vector<Token> Analyzer::analyse(std::string_view text, Language lang) {
  const ConceptKeys& keys = concept_keys();
  const std::vector<std::string> ws = text::words(text::fold(text));
  auto& cache = m_cache[static_cast<std::size_t>(lang)];
  std::vector<Token> out;
  std::uint16_t pos = 0;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    const std::string& w = ws[i];
    // Phrases may start with a stop word ("mise a jour" does not, "ci cd" does not; some could).
    if (const auto ph = keys.phrases.find(w); ph != keys.phrases.end()) {
      for (const auto& p : ph->second) {
        if (i + p.words.size() <= ws.size() && std::equal(p.words.begin(), p.words.end(), ws.begin() + static_cast<std::ptrdiff_t>(i))) {
          out.push_back({p.term, pos});
        }
      }
    }
    if (is_stop_word(w)) continue;
    auto it = cache.find(w);
    if (it == cache.end()) {
      // The stem first, then the concepts of the word and of its stem.
      std::vector<std::string> terms(1, m_stemmers->stem(w, lang));
      const std::string st = terms.front();
      for (const std::string* key : std::array<const std::string*, 2>{&w, &st}) {
        if (key->size() < k_min_stem_key && key != &w) continue;
        if (const auto c = keys.words.find(*key); c != keys.words.end()) {
          for (const auto& t : c->second) {
            if (std::find(terms.begin() + 1, terms.end(), t) == terms.end()) terms.push_back(t);
          }
        }
      }
      it = cache.emplace(w, std::move(terms)).first;
    }
    for (const auto& t : it->second) out.push_back({t, pos});
    if (pos < std::numeric_limits<std::uint16_t>::max()) ++pos;
  }
  return out;
}

std::vector<QueryWord> Analyzer::analyse_query(std::string_view text) {
  const ConceptKeys& keys = concept_keys();
  const std::vector<std::string> ws = text::words(text::fold(text));
  std::vector<QueryWord> out;
  std::vector<std::string> pending;  // concepts of a phrase that starts on a stop word
  std::size_t absorbed_until = 0;    // words of a phrase are one query word: its first
  for (std::size_t i = 0; i < ws.size(); ++i) {
    const std::string& w = ws[i];
    if (i < absorbed_until) continue;
    std::vector<std::string> phrase_terms = std::move(pending);
    pending.clear();
    if (const auto ph = keys.phrases.find(w); ph != keys.phrases.end()) {
      for (const auto& p : ph->second) {
        if (i + p.words.size() <= ws.size() && std::equal(p.words.begin(), p.words.end(), ws.begin() + static_cast<std::ptrdiff_t>(i))) {
          phrase_terms.push_back(p.term);
          absorbed_until = std::max(absorbed_until, i + p.words.size());
        }
      }
    }
    if (is_stop_word(w)) {
      pending = std::move(phrase_terms);
      continue;
    }
    QueryWord q;
    q.word = w;
    auto add = [&](const std::string& term, float weight) {
      for (auto& a : q.alternatives) {
        if (a.term == term) {
          a.weight = std::max(a.weight, weight);
          return;
        }
      }
      q.alternatives.push_back({term, weight});
    };
    add(w, 1.0F);
    std::vector<std::string> stems;
    for (const Language l : k_all) stems.push_back(m_stemmers->stem(w, l));
    for (const auto& st : stems) add(st, 1.0F);
    for (const auto& t : phrase_terms) add(t, k_concept_weight);
    if (const auto c = keys.words.find(w); c != keys.words.end()) {
      for (const auto& t : c->second) add(t, k_concept_weight);
    }
    for (const auto& st : stems) {
      if (st.size() < k_min_stem_key) continue;
      if (const auto c = keys.words.find(st); c != keys.words.end()) {
        for (const auto& t : c->second) add(t, k_concept_weight);
      }
    }
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace racine::query
