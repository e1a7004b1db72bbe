#include "cli/phrases.h"

#include "cli/messages.h"

namespace racine::cli {

namespace {

constexpr Phrases k_phrases[] = {
    {"en",
     "I am not sure: did you mean one of these?",
     "No activity of the matrix covers \"{}\".",
     "The matrix's gray zone ({}:{}):",
     "The matrix states no gray zone: ask the parties.",
     "Closest activities:",
     "Nothing to look for in \"{}\".",
     "with option {}: {} takes it over",
     "changed by option {}",
     "activity",
     "activities",
     " with role {}",
     "(no section)",
     "{}: no options",
     "(marker {}, {}:{})",
     "no cell carries its marker: it changes nothing",
     "names no single party to hand its rows to: it changes nothing",
     "hands 1 activity to {}:",
     "hands {} activities to {}:",
     "via {} (a contract option)",
     "The matrix's language is unknown: its titles were matched with English stems."},
    {"fr",
     "Je ne suis pas sûr : vouliez-vous dire l'une de celles-ci ?",
     "Aucune activité de la matrice ne couvre « {} ».",
     "Zone grise de la matrice ({}:{}) :",
     "La matrice n'indique pas de zone grise : demandez aux parties.",
     "Activités les plus proches :",
     "Rien à chercher dans « {} ».",
     "avec l'option {} : {} la reprend",
     "modifiée par l'option {}",
     "activité",
     "activités",
     " avec le rôle {}",
     "(sans section)",
     "{} : aucune option",
     "(marqueur {}, {}:{})",
     "aucune cellule ne porte son marqueur : elle ne change rien",
     "ne nomme pas une seule partie à qui confier ses lignes : elle ne change rien",
     "confie 1 activité à {} :",
     "confie {} activités à {} :",
     "via {} (une option du contrat)",
     "La langue de la matrice est inconnue : ses titres ont été comparés avec des racines "
     "anglaises."},
    {"de",
     "Ich bin nicht sicher: Meinten Sie eine dieser Aktivitäten?",
     "Keine Aktivität der Matrix deckt „{}“ ab.",
     "Grauzone der Matrix ({}:{}):",
     "Die Matrix nennt keine Grauzone: Fragen Sie die Parteien.",
     "Nächstliegende Aktivitäten:",
     "Nichts zu suchen in „{}“.",
     "mit Option {}: übernimmt {}",
     "geändert durch Option {}",
     "Aktivität",
     "Aktivitäten",
     " mit Rolle {}",
     "(ohne Abschnitt)",
     "{}: keine Optionen",
     "(Markierung {}, {}:{})",
     "keine Zelle trägt ihre Markierung: sie ändert nichts",
     "nennt keine einzelne Partei, der sie ihre Zeilen übergibt: sie ändert nichts",
     "übergibt 1 Aktivität an {}:",
     "übergibt {} Aktivitäten an {}:",
     "über {} (eine Vertragsoption)",
     "Die Sprache der Matrix ist unbekannt: ihre Titel wurden mit englischen Wortstämmen "
     "verglichen."},
    {"es",
     "No estoy seguro: ¿quería decir una de estas?",
     "Ninguna actividad de la matriz cubre «{}».",
     "Zona gris de la matriz ({}:{}):",
     "La matriz no indica zona gris: pregunte a las partes.",
     "Actividades más cercanas:",
     "Nada que buscar en «{}».",
     "con la opción {}: {} la asume",
     "modificada por la opción {}",
     "actividad",
     "actividades",
     " con el rol {}",
     "(sin sección)",
     "{}: ninguna opción",
     "(marca {}, {}:{})",
     "ninguna celda lleva su marca: no cambia nada",
     "no nombra una sola parte a la que confiar sus filas: no cambia nada",
     "confía 1 actividad a {}:",
     "confía {} actividades a {}:",
     "vía {} (una opción del contrato)",
     "El idioma de la matriz es desconocido: sus títulos se compararon con raíces inglesas."},
    {"it",
     "Non sono sicuro: intendeva una di queste?",
     "Nessuna attività della matrice copre «{}».",
     "Zona grigia della matrice ({}:{}):",
     "La matrice non indica una zona grigia: chiedete alle parti.",
     "Attività più vicine:",
     "Niente da cercare in «{}».",
     "con l'opzione {}: {} la prende in carico",
     "modificata dall'opzione {}",
     "attività",
     "attività",
     " con il ruolo {}",
     "(senza sezione)",
     "{}: nessuna opzione",
     "(marcatore {}, {}:{})",
     "nessuna cella porta il suo marcatore: non cambia nulla",
     "non nomina una sola parte a cui affidare le sue righe: non cambia nulla",
     "affida 1 attività a {}:",
     "affida {} attività a {}:",
     "tramite {} (un'opzione del contratto)",
     "La lingua della matrice è sconosciuta: i suoi titoli sono stati confrontati con radici "
     "inglesi."},
};

}  // namespace

const Phrases& phrases_for(const Matrix& m, const std::string& lang) {
  const std::string& code = lang.empty() ? m.language : lang;
  for (const Phrases& p : k_phrases) {
    if (code == p.code) return p;
  }
  return k_phrases[0];
}

void add_lang(CLI::App* app, std::string& lang) {
  app->add_option("--lang", lang,
                  tr("Language of the text output (default: the matrix's, else en)"))
      ->check(CLI::IsMember({"fr", "en", "de", "es", "it"}))
      ->option_text("LANG");
}

}  // namespace racine::cli
