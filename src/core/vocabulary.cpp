#include "core/vocabulary.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <unordered_map>

#include "core/text.h"

namespace racine::vocabulary {

namespace {

bool in(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::string compact(std::string_view folded) {
  return text::collapse_spaces(folded);
}

}  // namespace

bool is_activity_header(std::string_view folded) {
  const std::string w = compact(folded);
  return in(w, {"activite",    "activites",   "activity",    "activities",
                "task",        "tasks",       "tache",       "taches",
                "action",      "processus",   "process",     "aufgabe",
                "aufgaben",    "aktivitat",   "aktivitaten", "tatigkeit",
                "tatigkeiten", "prozess",     "actividad",   "actividades",
                "tarea",       "tareas",      "proceso",     "attivita",
                "compito",     "compiti",     "processo",    "operation",
                "operations",  "deliverable", "livrable",    "wiederkehrende operationen"});
}

bool is_id_header(std::string_view folded) {
  const std::string w = compact(folded);
  return in(w, {"id", "#", "ref", "ref.", "reference", "nr", "nr.", "no", "no.", "n°", "n", "num",
                "code", "codigo", "codice", "kennung", "key", "cle"});
}

bool is_free_text_header(std::string_view folded) {
  const std::string w = compact(folded);
  return in(w, {"description",  "descriptions", "commentaire", "commentaires", "comment",
                "comments",     "remarque",     "remarques",   "remark",       "remarks",
                "note",         "notes",        "sla",         "details",      "detail",
                "beschreibung", "kommentar",    "kommentare",  "bemerkung",    "bemerkungen",
                "anmerkung",    "descripcion",  "comentario",  "comentarios",  "observaciones",
                "descrizione",  "commento",     "commenti",    "note",         "osservazioni",
                "livrables",    "deliverables", "outil",       "tool",         "tools",
                "frequence",    "frequency"});
}

namespace {

std::optional<Role> role_word(const std::string& w) {
  if (in(w, {"r", "responsible", "responsable", "responsables", "realise", "realisateur",
             "realisation", "verantwortlich", "durchfuhrung", "durchfuhrend", "responsabile",
             "esegue", "realiza", "executes", "does", "responsavel", "responsaveis", "executor"})) {
    return Role::responsible;
  }
  if (in(w, {"a",           "accountable",   "approuve",    "approbateur",
             "autorite",    "valide",        "validateur",  "rechenschaftspflichtig",
             "genehmigt",   "genehmigend",   "entscheider", "aprueba",
             "aprobador",   "rinde cuentas", "approva",     "approvatore",
             "approver",    "approvers",     "approves",    "aprovador",
             "aprovadores", "aprova"})) {
    return Role::accountable;
  }
  if (in(w, {"c", "consulted", "consulte", "consultes", "konsultiert", "befragt", "beratend",
             "consultado", "consultados", "consultato", "consultati", "consult", "contributor",
             "contributors", "contributeur", "contributeurs"})) {
    return Role::consulted;
  }
  if (in(w, {"i", "informed", "informe", "informes", "informiert", "informado", "informados",
             "informato", "informati", "inform"})) {
    return Role::informed;
  }
  if (in(w, {"d", "driver", "drivers"})) return Role::driver;
  return std::nullopt;
}

// "responsible (r)" -> "responsible", "(r) responsible" -> "responsible": a header that
// names its role's letter beside the word. Anything else is returned as it is ("D =
// Driver" is how a legend table writes its headers, not a column of names).
std::string without_letter(const std::string& w) {
  auto letter = [](std::string_view s) {
    return s.size() == 3 && s[0] == '(' && s[2] == ')' && s[1] >= 'a' && s[1] <= 'z';
  };
  const std::size_t last_space = w.rfind(' ');
  if (last_space != std::string::npos && letter(std::string_view(w).substr(last_space + 1)))
    return text::collapse_spaces(w.substr(0, last_space));
  const std::size_t first_space = w.find(' ');
  if (first_space != std::string::npos && letter(std::string_view(w).substr(0, first_space)))
    return text::collapse_spaces(w.substr(first_space + 1));
  return w;
}

}  // namespace

std::optional<Role> role_header(std::string_view folded) {
  const std::string w = compact(folded);
  if (auto r = role_word(w)) return r;
  const std::string bare = without_letter(w);
  if (bare == w || bare.empty()) return std::nullopt;
  // The letter must agree with the word when both say a role: "Responsible (R)".
  const auto r = role_word(bare);
  if (!r) return std::nullopt;
  const char named = w.back() == ')' ? w[w.size() - 2] : w[1];
  if (named != static_cast<char>(static_cast<char>(*r) - 'A' + 'a')) return std::nullopt;
  return r;
}

LanguageGuess guess_language_with_confidence(std::string_view folded) {
  // Frequent short words of each language the stemmer library supports, folded (no
  // accents, lower case). A word shared by several languages counts for each of them.
  // The last, Vietnamese, has no stemmer: it is listed so that its texts are not taken
  // for another language, and a text it wins has no language ("").
  static constexpr std::array<std::string_view, 12> k_codes = {"fr", "en", "de", "es", "it", "pt",
                                                               "nl", "ru", "sv", "da", "fi", "vi"};
  static const std::unordered_map<std::string_view, std::vector<std::uint8_t>> k_words = [] {
    const std::array<std::string_view, 12> lists = {
        // fr
        "le la les des du et une pour sur est dans aux vos au avec par sont de d l un en",
        // en
        "the and of to for with is your on are by from this that be a an in or as at all each not",
        // de
        "der die das und fur mit von den ist ihre zu auf dem des nicht ein eine werden",
        // es
        "el los las y para con del sus en por al una es se lo de un la",
        // it
        "il gli della delle per e di dei con nel sono alla dal degli ai la un una in",
        // pt
        "do da dos das em no na nos nas um uma ao aos pelo pela com nao sao os ou para e de a o",
        // nl
        "de het een van en voor met op te niet zijn wordt bij naar ook dat deze in",
        // ru
        "\xD0\xB8 \xD0\xB2 \xD0\xBD\xD0\xB0 \xD1\x81 \xD0\xBF\xD0\xBE "
        "\xD0\xB4\xD0\xBB\xD1\x8F \xD0\xBD\xD0\xB5 \xD1\x87\xD1\x82\xD0\xBE "
        "\xD0\xB8\xD0\xB7 \xD0\xBA \xD0\xBE\xD1\x82 \xD0\xB7\xD0\xB0 "
        "\xD0\xB8\xD0\xBB\xD0\xB8",
        // sv
        "och att det som av for med pa ar den till om inte",
        // da
        "og at det som af til med pa er den for ikke",
        // fi
        "ja on ei etta se tai kanssa ovat kun mita",
        // vi (folded: "được" is "Äuoc", "và" is "va")
        "va cua cac nhung trong khong nguoi mot voi cho Äuoc Äe nay khi theo viec "
        "thuc hien phan tich thiet ke he thong nhom du an quan ly cong",
    };
    std::unordered_map<std::string_view, std::vector<std::uint8_t>> m;
    for (std::size_t l = 0; l < lists.size(); ++l) {
      std::string_view rest = lists[l];
      while (!rest.empty()) {
        const std::size_t sp = rest.find(' ');
        const std::string_view w = rest.substr(0, sp);
        if (!w.empty()) m[w].push_back(static_cast<std::uint8_t>(l));
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      }
    }
    return m;
  }();
  std::array<int, k_codes.size()> counts{};
  for (const auto& w : text::words(folded)) {
    const auto it = k_words.find(w);
    if (it == k_words.end()) continue;
    for (const std::uint8_t l : it->second) ++counts[l];
  }
  std::array<std::size_t, k_codes.size()> order{};
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Stable: on a tie, the language listed first (the five of the corpus) wins.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
  const int best = counts[order[0]];
  const int second = counts[order[1]];
  LanguageGuess g;
  if (best >= 3) {
    g.confidence = static_cast<double>(best - second) / static_cast<double>(best);
    // Unknown rather than wrong: a text that two languages explain about as well, or
    // that reads as a language without a stemmer, has none.
    if (g.confidence < k_min_language_confidence || k_codes[order[0]] == "vi")
      return {"", g.confidence};
    g.code = std::string(k_codes[order[0]]);
    return g;
  }
  if (counts[k_codes.size() - 1] > 0) return g;  // Vietnamese words: no ending guess
  // Too few small words (a bare table of short titles): the script, then endings that
  // belong to one language ("Planning", "Gathering"; "Verwaltung"; "gestión"; "gestão";
  // "gestione"), at least two and no rival. A weaker guess: confidence 0.5 at most.
  std::array<int, k_codes.size()> endings{};
  int cyrillic = 0;
  for (const auto& w : text::words(folded)) {
    const unsigned char c0 = w.empty() ? 0 : static_cast<unsigned char>(w[0]);
    if (c0 == 0xD0 || c0 == 0xD1) ++cyrillic;
    if (w.size() < 6) continue;
    const std::string_view v(w);
    if (v.ends_with("ing")) ++endings[1];
    if (v.ends_with("ung") || v.ends_with("keit") || v.ends_with("heit")) ++endings[2];
    if (v.ends_with("cion") || v.ends_with("ciones")) ++endings[3];
    if (v.ends_with("zione") || v.ends_with("zioni")) ++endings[4];
    if (v.ends_with("cao") || v.ends_with("coes")) ++endings[5];
  }
  if (cyrillic >= 3) return {"ru", 0.5};
  int top = 0;
  std::size_t which = 0;
  int rivals = 0;
  for (std::size_t i = 0; i < endings.size(); ++i) {
    if (endings[i] > top) {
      rivals += top;
      top = endings[i];
      which = i;
    } else {
      rivals += endings[i];
    }
  }
  if (top >= 2 && rivals == 0) return {std::string(k_codes[which]), 0.5};
  return g;
}

std::string guess_language(std::string_view folded) {
  return guess_language_with_confidence(folded).code;
}

// A title written as a heading rather than as a task: numbered ("2. Risk Management",
// "3) Sécurité", "IV. Audit") or in capitals ("GOUVERNANCE").
bool reads_as_heading(std::string_view title) {
  const std::string_view t = text::trim(title);
  std::size_t k = 0;
  while (k < t.size() && (std::isdigit(static_cast<unsigned char>(t[k])) != 0 || t[k] == 'I' ||
                          t[k] == 'V' || t[k] == 'X'))
    ++k;
  if (k > 0 && k + 1 < t.size() && (t[k] == '.' || t[k] == ')') && t[k + 1] == ' ') return true;
  std::size_t letters = 0;
  for (const char c : t) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') ++letters;
  }
  return letters >= 3;
}

bool is_delegation_note(std::string_view folded) {
  for (const std::string_view k :
       {"deleg", "infogerance", "managed service", "managed-service", "outsourc", "ubertrag"}) {
    if (folded.find(k) != std::string_view::npos) return true;
  }
  return false;
}

std::string contract_name(std::string_view folded) {
  constexpr std::size_t k_max_words = 4;
  auto join = [](const std::vector<std::string>& w, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) out += (out.empty() ? "" : " ") + w[i];
    return out;
  };
  const std::vector<std::string> w = text::words(folded);
  // Romance languages name the contract after the word: "contrat d'infogerance ...".
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] != "contrat" && w[i] != "contrato" && w[i] != "contratto") continue;
    // The clause ends at the first punctuation after the word.
    std::size_t at = 0;
    for (std::size_t k = 0, seen = 0; k <= i; ++k) {
      at = folded.find(w[k], seen);
      seen = at + w[k].size();
    }
    const std::size_t end = folded.find_first_of(".,;:()", at);
    const std::vector<std::string> after = text::words(
        folded.substr(at + w[i].size(), end == std::string_view::npos ? std::string_view::npos
                                                                      : end - at - w[i].size()));
    std::size_t from = 0;
    while (from < after.size() &&
           (after[from] == "de" || after[from] == "d" || after[from] == "di" ||
            after[from] == "du" || after[from] == "del")) {
      ++from;
    }
    return join(after, from, std::min(after.size(), from + k_max_words));
  }
  // English and German name it before: "an additional managed services contract",
  // "einen zusatzlichen Managed-Services-Vertrag".
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] != "contract" && w[i] != "vertrag" && w[i] != "vertrags") continue;
    std::size_t from = i;
    while (from > 0 && i - from < k_max_words) {
      const std::string& p = w[from - 1];
      if (p == "a" || p == "an" || p == "the" || p == "ein" || p == "einen" || p == "einem" ||
          p == "einer" || p == "via" || p == "through" || p == "under" || p == "uber" ||
          p == "durch" || p == "im" || p == "per") {
        break;
      }
      --from;
    }
    return join(w, from, i);
  }
  return "";
}

std::string contract_name_as_written(std::string_view text) {
  const std::vector<std::string> name = text::words(contract_name(text::fold(text)));
  if (name.empty()) return "";
  // The text's words with where each is written: a token ends at ASCII punctuation or
  // space, or at a typographic apostrophe; a token may fold to several words.
  struct Word {
    std::string folded;
    std::size_t begin;
    std::size_t end;
  };
  std::vector<Word> words;
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    if (end > start)
      for (auto& w : text::words(text::fold(text.substr(start, end - start))))
        words.push_back({std::move(w), start, end});
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool apostrophe = text.substr(i, 3) == "\u2019";
    if (apostrophe || (c < 0x80 && std::isalnum(c) == 0)) {
      flush(i);
      i += apostrophe ? 3 : 1;
      start = i;
    } else {
      ++i;
    }
  }
  flush(text.size());
  for (std::size_t i = 0; i + name.size() <= words.size(); ++i) {
    bool same = true;
    for (std::size_t k = 0; k < name.size() && same; ++k) same = words[i + k].folded == name[k];
    if (!same) continue;
    // Without the quotes or spaces a token keeps at either end («\u202f...\u202f», “...”).
    std::string_view found =
        text.substr(words[i].begin, words[i + name.size() - 1].end - words[i].begin);
    for (bool trimmed = true; trimmed;) {
      trimmed = false;
      for (const std::string_view q : {"«", "»", "“", "”", "‘", "\u202f", "\u00a0"}) {
        for (; found.starts_with(q); trimmed = true) found.remove_prefix(q.size());
        for (; found.ends_with(q); trimmed = true) found.remove_suffix(q.size());
      }
    }
    return std::string(found);
  }
  return "";
}

bool is_gray_zone_note(std::string_view folded) {
  const auto w = text::words(folded);
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] == "grauzone" || w[i] == "grauzonen") return true;
    if (i + 1 == w.size()) break;
    const std::string& a = w[i];
    const std::string& b = w[i + 1];
    const bool zone = a == "zone" || a == "zona" || a == "zones" || a == "zonas";
    if (zone && (b == "grise" || b == "grises" || b == "gris" || b == "grigia" || b == "grigie" ||
                 b == "grau" || b == "gray" || b == "grey")) {
      return true;
    }
    if ((a == "gray" || a == "grey") &&
        (b == "zone" || b == "zones" || b == "area" || b == "areas")) {
      return true;
    }
  }
  return false;
}

}  // namespace racine::vocabulary
