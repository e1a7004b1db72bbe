#include "query/analyzer.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <stdexcept>

#include "core/text.h"
#include "query/glossary.h"

namespace racine::query {

namespace {

constexpr std::array<const char*, k_languages> k_algorithms = {"french", "english", "german",
                                                               "spanish", "italian"};
constexpr std::array<Language, k_languages> k_all = {Language::fr, Language::en, Language::de,
                                                     Language::es, Language::it};
// Stems and words shorter than this evoke a concept only when they are the glossary's
// word itself: "ci" is a pipeline, a two-letter stem of something else is not.
constexpr std::size_t k_min_stem_key = 4;

std::string concept_term(std::string_view id) {
  std::string t(1, '~');
  t.append(id);
  return t;
}

// The code point at s[i] (valid UTF-8 assumed; anything else reads as 0xFFFD), and
// its length in bytes.
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 1;
  char32_t cp = c;
  if (c >= 0xF0) {
    n = 4;
    cp = c & 0x07U;
  } else if (c >= 0xE0) {
    n = 3;
    cp = c & 0x0FU;
  } else if (c >= 0xC0) {
    n = 2;
    cp = c & 0x1FU;
  }
  if (i + n > s.size()) {
    len = 1;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < n; ++k)
    cp = (cp << 6U) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
  len = n;
  return cp;
}

// Han, Hiragana, Katakana, Hangul: scripts written without spaces between words (or,
// for Korean, with particles glued to them).
bool is_cjk(char32_t c) {
  return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3040 && c <= 0x30FF) ||
         (c >= 0x3130 && c <= 0x318F) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

bool has_cjk(std::string_view w) {
  for (std::size_t i = 0; i < w.size();) {
    std::size_t len = 1;
    if (static_cast<unsigned char>(w[i]) >= 0xE1 && is_cjk(decode(w, i, len))) return true;
    i += len;
  }
  return false;
}

// The two-character pieces of a CJK word of three characters or more ("백업은" ->
// "백업", "업은"), so that a word with a particle still meets the bare word.
std::vector<std::string> bigrams(std::string_view w) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < w.size();) {
    std::size_t len = 1;
    decode(w, i, len);
    starts.push_back(i);
    i += len;
  }
  std::vector<std::string> out;
  if (starts.size() < 3) return out;
  starts.push_back(w.size());
  for (std::size_t k = 0; k + 2 < starts.size(); ++k)
    out.emplace_back(w.substr(starts[k], starts[k + 2] - starts[k]));
  return out;
}

}  // namespace

class Stemmers {
 public:
  Stemmers() {
    for (const char* name : k_algorithms) {
      sb_stemmer* st = sb_stemmer_new(name, "UTF_8");
      if (st == nullptr) throw std::runtime_error(std::string("libstemmer has no ") + name);
      m_stemmers.push_back(st);
      m_codes.emplace_back(name);
    }
  }
  ~Stemmers() {
    for (auto* p : m_stemmers) sb_stemmer_delete(p);
  }
  Stemmers(const Stemmers&) = delete;
  Stemmers& operator=(const Stemmers&) = delete;

  // Index of the stemmer of a language code: the five first, then any other that
  // libstemmer has (opened on first use), else English.
  std::size_t id(std::string_view code) {
    if (code.empty()) return static_cast<std::size_t>(Language::en);
    if (code == "fr" || code == "en" || code == "de" || code == "es" || code == "it") {
      return static_cast<std::size_t>(language_from_code(code));
    }
    const std::string c(code);
    for (std::size_t i = 0; i < m_codes.size(); ++i) {
      if (m_codes[i] == c) return i;
    }
    sb_stemmer* st = sb_stemmer_new(c.c_str(), "UTF_8");
    if (st == nullptr) return static_cast<std::size_t>(Language::en);
    m_stemmers.push_back(st);
    m_codes.push_back(c);
    return m_stemmers.size() - 1;
  }

  std::string stem(std::string_view w, std::size_t id) const {
    if (w.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) || has_cjk(w))
      return std::string(w);
    sb_stemmer* st = m_stemmers[id];
    const sb_symbol* out = sb_stemmer_stem(st, reinterpret_cast<const sb_symbol*>(w.data()),
                                           static_cast<int>(w.size()));
    if (out == nullptr) return std::string(w);  // out of memory: the word itself still works
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(st))};
  }
  std::string stem(std::string_view w, Language lang) const {
    return stem(w, static_cast<std::size_t>(lang));
  }

 private:
  std::vector<sb_stemmer*> m_stemmers;
  std::vector<std::string> m_codes;
};

// ICU's word break iterator (dictionary-based for Chinese and Japanese, on spaces and
// script changes for Korean), made once per analyser.
class Segmenter {
 public:
  // Words of a CJK run, in order; the run itself when ICU is unavailable.
  std::vector<std::string> split(std::string_view run) {
    if (!m_iter) {
      UErrorCode status = U_ZERO_ERROR;
      m_iter.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
      if (U_FAILURE(status)) m_iter.reset();
      if (!m_iter) return {std::string(run)};
    }
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(run.data(), static_cast<std::int32_t>(run.size())));
    m_iter->setText(u);
    std::vector<std::string> out;
    std::int32_t start = m_iter->first();
    for (std::int32_t end = m_iter->next(); end != icu::BreakIterator::DONE;
         start = end, end = m_iter->next()) {
      if (m_iter->getRuleStatus() == UBRK_WORD_NONE) continue;
      std::string piece;
      u.tempSubStringBetween(start, end).toUTF8String(piece);
      if (!piece.empty()) out.push_back(std::move(piece));
    }
    return out;
  }

 private:
  std::unique_ptr<icu::BreakIterator> m_iter;
};

// The glossary, keyed for lookups: single words by themselves and by their stem in each
// language; phrases by their first word.
struct ConceptKeys {
  std::unordered_map<std::string, std::vector<std::string>> words;  // key -> concept terms
  std::unordered_map<std::string, std::vector<std::string>>
      exact;  // glossary word -> concept terms
  struct Phrase {
    std::vector<std::string> words;
    std::string term;
  };
  std::unordered_map<std::string, std::vector<Phrase>> phrases;  // first word -> phrases
  std::uint64_t serial = 0;  // unique per set of keys: tells analysers' caches apart

  static void add_to(std::unordered_map<std::string, std::vector<std::string>>& map,
                     const std::string& key, const std::string& term) {
    auto& v = map[key];
    if (std::find(v.begin(), v.end(), term) == v.end()) v.push_back(term);
  }
};

namespace {

std::atomic<std::uint64_t> g_keys_serial{0};

ConceptKeys build_keys(const std::vector<Concept>& concepts) {
  ConceptKeys k;
  k.serial = ++g_keys_serial;
  const Stemmers stemmers;
  for (const auto& c : concepts) {
    const std::string term = concept_term(c.id);
    for (const std::string& word : c.words) {
      const std::vector<std::string> ws = text::words(word);
      if (ws.empty()) continue;
      if (ws.size() > 1) {
        k.phrases[ws.front()].push_back({ws, term});
        continue;
      }
      ConceptKeys::add_to(k.words, ws.front(), term);
      ConceptKeys::add_to(k.exact, ws.front(), term);
      if (ws.front().size() < k_min_stem_key) continue;
      for (const Language l : k_all) {
        const std::string st = stemmers.stem(ws.front(), l);
        if (st.size() >= k_min_stem_key) ConceptKeys::add_to(k.words, st, term);
      }
    }
  }
  return k;
}

// The built-in glossary's keys, built on first use, once (magic statics make it
// thread-safe).
const ConceptKeys& concept_keys() {
  static const ConceptKeys keys = build_keys(glossary());
  return keys;
}

// The filler phrase of a query that starts at word i, as its length (0: none).
std::size_t filler_at(const std::vector<std::string>& ws, std::size_t i) {
  for (const auto& f : query_fillers()) {  // longest first
    if (i + f.size() <= ws.size() &&
        std::equal(f.begin(), f.end(), ws.begin() + static_cast<std::ptrdiff_t>(i))) {
      return f.size();
    }
  }
  return 0;
}

// Concepts of the parts of a compound word ("anwendungsleistung": application and
// performance; "kapazitatsplanung": capacity and plan), found by cutting the word where
// a glossary word (or its stem) ends, with or without a German linking "s". Words of 8
// letters or more only; empty when no part names a concept.
std::vector<std::string> compound_concepts(const ConceptKeys& keys, const std::string& w) {
  std::vector<std::string> out;
  if (w.size() < 8) return out;
  auto concepts_of = [&](std::string_view part) -> const std::vector<std::string>* {
    if (part.size() < k_min_stem_key) return nullptr;
    const auto c = keys.words.find(std::string(part));
    return c == keys.words.end() ? nullptr : &c->second;
  };
  auto add = [&](const std::vector<std::string>* terms) {
    if (terms == nullptr) return;
    for (const auto& t : *terms) {
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
  };
  for (std::size_t i = k_min_stem_key; i + k_min_stem_key <= w.size(); ++i) {
    if ((static_cast<unsigned char>(w[i]) & 0xC0U) == 0x80U) continue;  // inside a UTF-8 sequence
    const std::string_view left = std::string_view(w).substr(0, i);
    std::string_view right = std::string_view(w).substr(i);
    const auto* l = concepts_of(left);
    if (l == nullptr) continue;
    add(l);
    const auto* r = concepts_of(right);
    if (r == nullptr && right.size() > k_min_stem_key && right.front() == 's')
      r = concepts_of(right.substr(1));
    add(r);
  }
  for (std::size_t i = k_min_stem_key; i + k_min_stem_key <= w.size(); ++i) {
    if ((static_cast<unsigned char>(w[i]) & 0xC0U) == 0x80U) continue;
    add(concepts_of(std::string_view(w).substr(i)));  // a known ending ("...planung")
  }
  return out;
}

}  // namespace

Language language_from_code(std::string_view code) {
  if (code == "fr") return Language::fr;
  if (code == "de") return Language::de;
  if (code == "es") return Language::es;
  if (code == "it") return Language::it;
  return Language::en;
}

bool has_stemmer(std::string_view lang_code) {
  const std::string c(lang_code);
  sb_stemmer* st = c.empty() ? nullptr : sb_stemmer_new(c.c_str(), "UTF_8");
  if (st == nullptr) return false;
  sb_stemmer_delete(st);
  return true;
}

Analyzer::Analyzer()
    : m_stemmers(std::make_unique<Stemmers>()),
      m_segmenter(std::make_unique<Segmenter>()),
      m_keys(&concept_keys()),
      m_keys_serial(m_keys->serial) {}
Analyzer::~Analyzer() = default;

void Analyzer::use_concepts(const ConceptKeys* keys) {
  const ConceptKeys* k = keys != nullptr ? keys : &concept_keys();
  // Cached titles hold the old keys' concepts. The old keys may be gone (their index
  // freed): compare serials kept here, never through the old pointer.
  if (k->serial != m_keys_serial) m_cache.clear();
  m_keys = k;
  m_keys_serial = k->serial;
}

std::shared_ptr<const ConceptKeys> concept_keys_with(const std::vector<Concept>& extra) {
  std::vector<Concept> all = glossary();
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < all.size(); ++i) by_id.emplace(all[i].id, i);
  for (const Concept& c : extra) {
    const auto [it, added] = by_id.try_emplace(c.id, all.size());
    if (added) all.push_back({c.id, {}});
    auto& words = all[it->second].words;
    for (const auto& w : c.words) {
      if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
    }
  }
  return std::make_shared<const ConceptKeys>(build_keys(all));
}

std::string Analyzer::stem(std::string_view folded_word, Language lang) {
  return m_stemmers->stem(folded_word, lang);
}

std::vector<std::string> Analyzer::words(std::string_view text) {
  // CJK runs are cut before folding, on the text as written: the break iterator's
  // dictionary knows the words as people write them (folding keeps kana voicing marks,
  // text::fold, but changes width and case elsewhere).
  if (!has_cjk(text)) return text::words(text::fold(text));
  std::vector<std::string> out;
  for (const auto& raw : text::words(text)) {
    if (!has_cjk(raw)) {
      for (auto& w : text::words(text::fold(raw))) out.push_back(std::move(w));
      continue;
    }
    for (const auto& piece : m_segmenter->split(raw)) {
      for (auto& w : text::words(text::fold(piece))) out.push_back(std::move(w));
    }
  }
  return out;
}

std::vector<Token> Analyzer::analyse(std::string_view text, Language lang) {
  return analyse_with(text, static_cast<std::size_t>(lang));
}

std::vector<Token> Analyzer::analyse(std::string_view text, std::string_view lang_code) {
  return analyse_with(text, m_stemmers->id(lang_code));
}

std::vector<Token> Analyzer::analyse_with(std::string_view text, std::size_t stemmer) {
  const ConceptKeys& keys = *m_keys;
  const std::vector<std::string> ws = words(text);
  std::vector<Token> out;
  std::uint16_t pos = 0;
  std::string key;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    const std::string& w = ws[i];
    // Phrases may start with a stop word ("mise a jour" does not, "ci cd" does not; some could).
    if (const auto ph = keys.phrases.find(w); ph != keys.phrases.end()) {
      for (const auto& p : ph->second) {
        if (i + p.words.size() <= ws.size() &&
            std::equal(p.words.begin(), p.words.end(),
                       ws.begin() + static_cast<std::ptrdiff_t>(i))) {
          out.push_back({p.term, pos});
        }
      }
    }
    if (is_stop_word(w)) continue;
    key.assign(1, static_cast<char>(stemmer));
    key += w;
    auto it = m_cache.find(key);
    if (it == m_cache.end()) {
      // The stem first, then the concepts of the word and of its stem, then the pieces
      // of a CJK word.
      std::vector<std::string> terms(1, m_stemmers->stem(w, stemmer));
      const std::string st = terms.front();
      for (const std::string* k : std::array<const std::string*, 2>{&w, &st}) {
        if (k->size() < k_min_stem_key && k != &w) continue;
        if (const auto c = keys.words.find(*k); c != keys.words.end()) {
          for (const auto& t : c->second) {
            if (std::find(terms.begin() + 1, terms.end(), t) == terms.end()) terms.push_back(t);
          }
        }
      }
      if (terms.size() == 1) {
        for (auto& t : compound_concepts(keys, w)) terms.push_back(std::move(t));
      }
      if (has_cjk(w)) {
        for (auto& b : bigrams(w)) {
          if (const auto c = keys.words.find(b); c != keys.words.end()) {
            for (const auto& t : c->second) {
              if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
            }
          }
          if (std::find(terms.begin(), terms.end(), b) == terms.end())
            terms.push_back(std::move(b));
        }
      }
      it = m_cache.emplace(key, std::move(terms)).first;
    }
    for (const auto& t : it->second) out.push_back({t, pos});
    if (pos < std::numeric_limits<std::uint16_t>::max()) ++pos;
  }
  return out;
}

std::vector<QueryWord> Analyzer::analyse_query(std::string_view text, std::string_view extra_lang) {
  const ConceptKeys& keys = *m_keys;
  std::vector<std::string> ws;
  {
    const std::vector<std::string> all = words(text);
    for (std::size_t i = 0; i < all.size();) {
      const std::size_t n = filler_at(all, i);
      if (n > 0) {
        i += n;
        continue;
      }
      ws.push_back(all[i++]);
    }
  }
  std::vector<std::size_t> stemmers(k_all.size());
  for (std::size_t l = 0; l < k_all.size(); ++l) stemmers[l] = l;
  if (!extra_lang.empty()) {
    const std::size_t extra = m_stemmers->id(extra_lang);
    if (extra >= k_all.size()) stemmers.push_back(extra);
  }
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
        if (i + p.words.size() <= ws.size() &&
            std::equal(p.words.begin(), p.words.end(),
                       ws.begin() + static_cast<std::ptrdiff_t>(i))) {
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
    // A word the glossary names keeps its meaning: its stems, which may collide with
    // unrelated words ("utilisateurs", "utilisation"), count for less than its concepts.
    const bool named = keys.exact.contains(w) || !phrase_terms.empty();
    const float stem_weight = named ? k_concept_word_stem_weight : 1.0F;
    // The stems of a word in every language, memoised: a server answers the same words
    // again and again, and stemming is most of a query's analysis.
    std::string memo_key(extra_lang);
    memo_key += '\0';
    memo_key += w;
    auto memo = m_query_stems.find(memo_key);
    if (memo == m_query_stems.end()) {
      if (m_query_stems.size() >= k_max_memo) m_query_stems.clear();
      std::vector<std::string> fresh;
      for (const std::size_t l : stemmers) fresh.push_back(m_stemmers->stem(w, l));
      memo = m_query_stems.emplace(std::move(memo_key), std::move(fresh)).first;
    }
    const std::vector<std::string>& stems = memo->second;
    for (const auto& st : stems) add(st, st == w ? 1.0F : stem_weight);
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
    // A compound the glossary does not name: the concepts of its parts.
    if (std::none_of(q.alternatives.begin(), q.alternatives.end(),
                     [](const auto& a) { return a.term.starts_with('~'); })) {
      for (const auto& t : compound_concepts(keys, w)) add(t, k_concept_weight);
    }
    if (has_cjk(w)) {
      for (const auto& b : bigrams(w)) {
        add(b, k_bigram_weight);
        // "백업은" (backup + particle) still names the concept of "백업".
        if (const auto c = keys.words.find(b); c != keys.words.end()) {
          for (const auto& t : c->second) add(t, k_concept_weight * k_bigram_weight);
        }
      }
    }
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace racine::query
