#include "reports/labels.h"

#include <algorithm>

#include "core/text.h"

namespace racine::reports {

namespace {

constexpr Labels k_english{
    .activity = "Activity",
    .section = "Section",
    .party = "Party",
    .roles = "Roles",
    .all_parties = "All parties",
    .search = "Search activities",
    .applied = "Effective matrix under option {}: changed cells are highlighted.",
    .chart_title = "Roles per party",
    .chart_axis = "Activities",
    .legend = "Roles:",
    .notes = "Notes",
    .options = "Contract options",
    .option = "option",
    .option_cells = "{} cells outlined in dashes could be handed over under this option.",
    .was = "was",
    .findings = "Findings",
    .code = "Code",
    .severity = "Severity",
    .line = "Line",
    .message = "Message",
    .no_findings = "No finding",
    .matrix_sheet = "Matrix",
    .summary_sheet = "Summary",
    .all = "All",
    .gray_zone = "Gray zone",
    .error = "error",
    .warning = "warning",
    .info = "info",
    .role_names = {"Responsible", "Accountable", "Consulted", "Informed", "Support", "Driver"},
    .daci_names = {"Approver", "Contributor"},
    .colon = ": ",
};

constexpr Labels k_french{
    .activity = "Activité",
    .section = "Section",
    .party = "Partie",
    .roles = "Rôles",
    .all_parties = "Toutes les parties",
    .search = "Rechercher une activité",
    .applied = "Matrice effective avec l'option {} : les cellules modifiées sont surlignées.",
    .chart_title = "Rôles par partie",
    .chart_axis = "Activités",
    .legend = "Rôles :",
    .notes = "Notes",
    .options = "Options du contrat",
    .option = "option",
    .option_cells = "{} cellules entourées de tirets pourraient être confiées avec cette option.",
    .was = "avant",
    .findings = "Constats",
    .code = "Code",
    .severity = "Gravité",
    .line = "Ligne",
    .message = "Message",
    .no_findings = "Aucun constat",
    .matrix_sheet = "Matrice",
    .summary_sheet = "Synthèse",
    .all = "Tout",
    .gray_zone = "Zone grise",
    .error = "erreur",
    .warning = "avertissement",
    .info = "info",
    .role_names = {"Responsable", "Approbateur", "Consulté", "Informé", "Soutien", "Pilote"},
    .daci_names = {"Approbateur", "Contributeur"},
    .colon = " : ",
};

}  // namespace

std::optional<Lang> parse_lang(std::string_view code) {
  const std::string c = text::fold(code);
  if (c == "en") return Lang::en;
  if (c == "fr") return Lang::fr;
  return std::nullopt;
}

std::string_view lang_code(Lang lang) {
  return lang == Lang::fr ? "fr" : "en";
}

Lang report_language(const Matrix& m, std::string_view requested) {
  return parse_lang(requested.empty() ? std::string_view(m.language) : requested)
      .value_or(Lang::en);
}

const Labels& labels(Lang lang) {
  return lang == Lang::fr ? k_french : k_english;
}

std::string_view severity_label(const Labels& l, Severity s) {
  switch (s) {
    case Severity::error: return l.error;
    case Severity::warning: return l.warning;
    case Severity::info: return l.info;
  }
  return l.error;
}

std::string role_name(const Labels& l, const RoleVocabulary& vocabulary, char letter) {
  for (const auto& e : vocabulary.legend) {
    if (e.letter != letter) continue;
    // "(R) Réalise" -> "Réalise"
    std::string_view t = e.text;
    if (const auto close = t.find(')'); t.starts_with('(') && close != std::string_view::npos)
      t.remove_prefix(close + 1);
    const std::string_view trimmed = text::trim(t);
    if (!trimmed.empty()) return std::string(trimmed);
  }
  const bool daci = vocabulary.has('D');
  switch (letter) {
    case 'R': return std::string(l.role_names[0]);
    case 'A': return std::string(daci ? l.daci_names[0] : l.role_names[1]);
    case 'C': return std::string(daci ? l.daci_names[1] : l.role_names[2]);
    case 'I': return std::string(l.role_names[3]);
    case 'S': return std::string(l.role_names[4]);
    case 'D': return std::string(l.role_names[5]);
    default: return std::string(1, letter);
  }
}

}  // namespace racine::reports
