#include "core/vocabulary.h"

#include <algorithm>
#include <array>
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

std::string guess_language(std::string_view folded) {
  static const std::unordered_map<std::string_view, int> k_words = {
      {"le", 0},   {"la", 0},  {"les", 0}, {"des", 0},  {"du", 0},   {"et", 0},    {"une", 0},
      {"pour", 0}, {"sur", 0}, {"est", 0}, {"dans", 0}, {"aux", 0},  {"vos", 0},   {"the", 1},
      {"and", 1},  {"of", 1},  {"to", 1},  {"for", 1},  {"with", 1}, {"is", 1},    {"your", 1},
      {"on", 1},   {"are", 1}, {"der", 2}, {"die", 2},  {"das", 2},  {"und", 2},   {"fur", 2},
      {"mit", 2},  {"von", 2}, {"den", 2}, {"ist", 2},  {"ihre", 2}, {"zu", 2},    {"auf", 2},
      {"el", 3},   {"los", 3}, {"las", 3}, {"y", 3},    {"para", 3}, {"con", 3},   {"del", 3},
      {"sus", 3},  {"en", 3},  {"por", 3}, {"il", 4},   {"gli", 4},  {"della", 4}, {"delle", 4},
      {"per", 4},  {"e", 4},   {"di", 4},  {"dei", 4},  {"con", 4},  {"nel", 4},   {"sono", 4},
      {"alla", 4}};
  static constexpr std::array<std::string_view, 5> k_codes = {"fr", "en", "de", "es", "it"};
  std::array<int, 5> counts{};
  for (const auto& w : text::words(folded)) {
    const auto it = k_words.find(w);
    if (it != k_words.end()) ++counts[static_cast<std::size_t>(it->second)];
  }
  const auto best = std::max_element(counts.begin(), counts.end());
  if (*best < 3) return "";
  return std::string(k_codes[static_cast<std::size_t>(best - counts.begin())]);
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
