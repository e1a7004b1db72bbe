// The built-in glossary, read once from the files of data/glossary/ compiled into the
// binary (core/embedded.h). docs/query.md ("Glossary") describes the format.

#include "query/glossary.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "core/embedded.h"
#include "core/text.h"

namespace racine::query {

namespace {

struct Builtin {
  std::vector<Concept> concepts;
  std::unordered_set<std::string> stop_words;
  std::vector<std::vector<std::string>> fillers;
};

const Builtin& builtin() {
  static const Builtin b = [] {
    Builtin out;
    std::unordered_map<std::string, std::size_t> by_id;
    for (const std::string_view lang : glossary_languages()) {
      const Glossary g = parse_glossary(embedded::find("glossary/" + std::string(lang) + ".txt"));
      for (const Concept& c : g.concepts) {
        const auto [it, added] = by_id.try_emplace(c.id, out.concepts.size());
        if (added) out.concepts.push_back({c.id, {}});
        auto& words = out.concepts[it->second].words;
        for (const auto& w : c.words) {
          if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
        }
      }
      out.stop_words.insert(g.stop_words.begin(), g.stop_words.end());
      for (const auto& f : g.fillers) {
        if (std::find(out.fillers.begin(), out.fillers.end(), f) == out.fillers.end())
          out.fillers.push_back(f);
      }
    }
    std::stable_sort(out.fillers.begin(), out.fillers.end(),
                     [](const auto& x, const auto& y) { return x.size() > y.size(); });
    return out;
  }();
  return b;
}

}  // namespace

Glossary parse_glossary(std::string_view text) {
  Glossary g;
  std::uint32_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    const std::string_view line = text::trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t colon = line.find(':');
    const std::string id = colon == std::string_view::npos
                               ? std::string()
                               : std::string(text::trim(line.substr(0, colon)));
    if (id.empty() || id.find(' ') != std::string::npos) {
      g.errors.push_back({line_no, "expected \"concept: word, word, ...\""});
      continue;
    }
    std::vector<std::vector<std::string>> entries;
    std::string_view rest = line.substr(colon + 1);
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      std::vector<std::string> ws = text::words(text::fold(rest.substr(0, comma)));
      if (!ws.empty()) entries.push_back(std::move(ws));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (id == "stop") {
      for (auto& e : entries) {
        for (auto& w : e) g.stop_words.push_back(std::move(w));
      }
    } else if (id == "filler") {
      for (auto& e : entries) g.fillers.push_back(std::move(e));
    } else {
      Concept c{id, {}};
      for (const auto& e : entries) {
        std::string w;
        for (const auto& part : e) w += (w.empty() ? "" : " ") + part;
        if (std::find(c.words.begin(), c.words.end(), w) == c.words.end())
          c.words.push_back(std::move(w));
      }
      g.concepts.push_back(std::move(c));
    }
  }
  return g;
}

const std::vector<std::string_view>& glossary_languages() {
  static const std::vector<std::string_view> k_codes = {"fr", "en", "de", "es",
                                                        "it", "ja", "zh", "ko"};
  return k_codes;
}

const std::vector<Concept>& glossary() {
  return builtin().concepts;
}

bool is_stop_word(std::string_view w) {
  return builtin().stop_words.contains(std::string(w));
}

const std::vector<std::vector<std::string>>& query_fillers() {
  return builtin().fillers;
}

}  // namespace racine::query
