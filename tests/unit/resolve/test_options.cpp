#include <gtest/gtest.h>

#include "../test_support.h"
#include "core/text.h"
#include "core/vocabulary.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "formats/markdown_writer.h"
#include "resolve/options.h"

namespace racine::resolve {

namespace {

using test::seed;

std::uint32_t line_of(const Matrix& m, Span s) {
  return m.source->position(s.begin).line;
}

// "title: Client/Cloud Temple" for one activity, markers included.
std::string row(const Matrix& m, const Activity& a) {
  std::string out = a.title + ":";
  for (std::size_t p = 0; p < a.cells.size(); ++p) {
    out += p == 0 ? ' ' : '/';
    out += a.cells[p].roles.to_string();
    for (const auto& mk : a.cells[p].markers()) out += mk;
  }
  (void)m;
  return out;
}

}  // namespace

TEST(Options, SeedHasOneDelegationOptionOverElevenActivities) {
  const Matrix& m = seed();
  ASSERT_EQ(m.options.size(), 1U);
  const Option& o = m.options[0];
  EXPECT_EQ(o.id, "infogerance-complementaire");
  EXPECT_EQ(o.marker, "*");
  EXPECT_EQ(line_of(m, m.notes[static_cast<std::size_t>(o.note)].span), 27U);
  ASSERT_EQ(delegate_of(m, o), 1);  // Cloud Temple
  std::vector<std::string> titles;
  for (const auto& e : effects_of(m, o))
    titles.push_back(m.sections[e.section].activities[e.activity].title);
  EXPECT_EQ(titles, (std::vector<std::string>{
                        // projects and applications
                        "Créer et gérer les projets Kubernetes",
                        "Déployer et gérer les applications dans Kubernetes",
                        "Configurer les pipelines CI/CD",
                        "Gérer les images de conteneurs et les registres",
                        // security
                        "Configurer et gérer les politiques de sécurité des pods",
                        "Gérer les certificats SSL/TLS pour les applications",
                        "Implémenter et gérer le contrôle d'accès basé sur les rôles client (RBAC)",
                        // backup and disaster recovery
                        "Définir la stratégie de sauvegarde pour les applications",
                        "Mettre en oeuvre et gérer les sauvegardes des applications",
                        "Tester les procédures de reprise après sinistre pour les applications",
                        // business operators
                        "Déploiement des CRDs",
                    }));
}

TEST(Options, ResolvingSwapsTheDelegableRowsAndNothingElse) {
  const Matrix& m = seed();
  auto r = apply(m, {"infogerance-complementaire"});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const Matrix& e = r->matrix;
  EXPECT_EQ(r->changes.size(), 11U);
  EXPECT_TRUE(e.options.empty());
  ASSERT_EQ(e.sections.size(), m.sections.size());
  std::size_t changed = 0;
  for (std::size_t s = 0; s < m.sections.size(); ++s) {
    for (std::size_t a = 0; a < m.sections[s].activities.size(); ++a) {
      const std::string before = row(m, m.sections[s].activities[a]);
      const std::string after = row(e, e.sections[s].activities[a]);
      if (before != after) ++changed;
    }
  }
  EXPECT_EQ(changed, 11U);
  auto find = [&](std::string_view title) {
    for (const auto& s : e.sections) {
      for (const auto& a : s.activities) {
        if (a.title == title) return row(e, a);
      }
    }
    return std::string("(missing)");
  };
  EXPECT_EQ(find("Configurer les pipelines CI/CD"), "Configurer les pipelines CI/CD: I/RA");
  // Client RA* / Cloud Temple CI* -> Client CI / Cloud Temple RA.
  EXPECT_EQ(find("Tester les procédures de reprise après sinistre pour les applications"),
            "Tester les procédures de reprise après sinistre pour les applications: CI/RA");
  EXPECT_EQ(find("Déploiement des CRDs"), "Déploiement des CRDs: I/RA");
  // The operator-package note is no option: its marker stays bound to it.
  EXPECT_EQ(find("Mettre à jour les applications déployées (opérateurs*)"),
            "Mettre à jour les applications déployées (opérateurs*): C/RA");
  for (const auto& use : e.marker_uses) {
    ASSERT_GE(use.note, 0);
    EXPECT_EQ(e.notes[static_cast<std::size_t>(use.note)].text.rfind("Package opérateur", 0), 0U);
  }
  // The four delegation notes are gone; the two package notes remain.
  EXPECT_EQ(m.notes.size(), 6U);
  EXPECT_EQ(e.notes.size(), 2U);
}

TEST(Options, OptionIdsAreMatchedWithoutCase) {
  EXPECT_NE(find_option(seed(), "INFOGERANCE-Complementaire"), nullptr);
  EXPECT_EQ(find_option(seed(), "delegation"), nullptr);
}

TEST(Options, UnknownOptionListsTheOptions) {
  auto r = apply(seed(), {"managed"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().to_string(),
            "<builtin:managed-kubernetes>: no option 'managed' in this matrix (options: "
            "infogerance-complementaire)");
}

TEST(Options, NoteNamingNoPartyCannotBeApplied) {
  auto m = test::read_md(
      "| Activity | Client | Provider |\n|---|---|---|\n| Back up data | RA | I* |\n\n"
      "*This can be delegated under a managed services contract.\n");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->options.size(), 1U);
  EXPECT_EQ(m->options[0].id, "managed-services");
  EXPECT_EQ(delegate_of(*m, m->options[0]), -1);
  EXPECT_TRUE(effects_of(*m, m->options[0]).empty());
  auto r = apply(*m, {"managed-services"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "option 'managed-services' does not name one party to hand its rows to: \"This can be "
            "delegated under a "
            "managed services contract.\"");
}

TEST(Options, DelegateAlreadyResponsibleMovesNothing) {
  auto m = test::read_md(
      "| Activity | Client | Provider |\n|---|---|---|\n| Back up data | I* | RA |\n| Restore data "
      "| RA* | C |\n\n"
      "*Can be delegated to Provider under an extra contract.\n");
  ASSERT_TRUE(m.ok());
  const auto effects = effects_of(*m, m->options.at(0));
  ASSERT_EQ(effects.size(), 1U);
  EXPECT_EQ(m->sections[0].activities[effects[0].activity].title, "Restore data");
  auto r = apply(*m, {m->options[0].id});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(row(r->matrix, r->matrix.sections[0].activities[1]), "Restore data: C/RA");
  // The marker leaves the row that did not move too: the option is spent.
  EXPECT_EQ(row(r->matrix, r->matrix.sections[0].activities[0]), "Back up data: I/RA");
}

TEST(Options, ContractNamesInFiveLanguages) {
  auto name = [](std::string_view note) { return vocabulary::contract_name(text::fold(note)); };
  EXPECT_EQ(
      name("Ces responsabilités peuvent être déléguées à Cloud Temple via un contrat d'infogérance "
           "complémentaire."),
      "infogerance complementaire");
  EXPECT_EQ(name("These responsibilities can be delegated to Cloud Temple via an additional "
                 "managed services "
                 "contract."),
            "additional managed services");
  EXPECT_EQ(name("Diese Verantwortlichkeiten können über einen zusätzlichen "
                 "Managed-Services-Vertrag an Cloud "
                 "Temple delegiert werden."),
            "zusatzlichen managed services");
  EXPECT_EQ(
      name(
          "Estas responsabilidades pueden delegarse a Cloud Temple mediante un contrato de gestión "
          "complementario."),
      "gestion complementario");
  EXPECT_EQ(name("Queste responsabilità possono essere delegate a Cloud Temple tramite un "
                 "contratto di gestione "
                 "complementare."),
            "gestione complementare");
  EXPECT_EQ(name("Cloud Temple offers professional services to those who wish to delegate."), "");
}

// The same names as the notes write them, for people: accents, case and hyphens kept.
TEST(Options, ContractNamesAsWritten) {
  using vocabulary::contract_name_as_written;
  EXPECT_EQ(contract_name_as_written("Ces responsabilités peuvent être déléguées à Cloud Temple "
                                     "via un contrat d'infogérance complémentaire."),
            "infogérance complémentaire");
  EXPECT_EQ(contract_name_as_written("Déléguées via un contrat d\u2019Infogérance Étendue."),
            "Infogérance Étendue");
  EXPECT_EQ(contract_name_as_written("These responsibilities can be delegated to Cloud Temple via "
                                     "an additional managed services contract."),
            "additional managed services");
  EXPECT_EQ(contract_name_as_written("Diese Verantwortlichkeiten können über einen zusätzlichen "
                                     "Managed-Services-Vertrag an Cloud Temple delegiert werden."),
            "zusätzlichen Managed-Services");
  EXPECT_EQ(contract_name_as_written("Déléguées via un contrat «\u202fInfogérance Plus\u202f»."),
            "Infogérance Plus");
  EXPECT_EQ(contract_name_as_written("Delegated through a “premium support” contract."),
            "premium support");
  EXPECT_EQ(contract_name_as_written("Cloud Temple offers professional services."), "");
}

TEST(Options, GrayZoneNotes) {
  const Matrix& m = seed();
  ASSERT_TRUE(m.gray_zone.has_value());
  EXPECT_EQ(line_of(m, m.gray_zone->span), 156U);
  EXPECT_EQ(m.gray_zone->text.rfind("Zone \"grise\" : adaptations et extensions", 0), 0U);
  for (const std::string_view t :
       {"\"Grey\" area: adaptations and extensions", "Zona \"gris\" : adaptaciones",
        "Zona \"grigia\": adattamenti", "Grauzone: Anpassungen",
        "Out of scope (gray zone): anything else"}) {
    EXPECT_TRUE(vocabulary::is_gray_zone_note(text::fold(t))) << t;
  }
  EXPECT_FALSE(
      vocabulary::is_gray_zone_note(text::fold("Définir le nombre de zones de disponibilité")));
}

// The canonical Markdown of the effective matrix reads back to the same model.
TEST(Options, ResolvedMarkdownReadsBack) {
  auto r = apply(seed(), {"infogerance-complementaire"});
  ASSERT_TRUE(r.ok());
  const std::string md = write_markdown(r->matrix);
  auto back = test::read_md(md);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->title, r->matrix.title);
  EXPECT_EQ(back->party_names(), r->matrix.party_names());
  ASSERT_EQ(back->sections.size(), r->matrix.sections.size());
  for (std::size_t s = 0; s < back->sections.size(); ++s) {
    EXPECT_EQ(back->sections[s].title, r->matrix.sections[s].title);
    ASSERT_EQ(back->sections[s].activities.size(), r->matrix.sections[s].activities.size());
    for (std::size_t a = 0; a < back->sections[s].activities.size(); ++a) {
      EXPECT_EQ(row(*back, back->sections[s].activities[a]),
                row(r->matrix, r->matrix.sections[s].activities[a]));
    }
  }
  EXPECT_TRUE(back->options.empty());
  ASSERT_TRUE(back->gray_zone.has_value());
  EXPECT_EQ(back->gray_zone->text, r->matrix.gray_zone->text);
  // Written again, the same bytes.
  EXPECT_EQ(write_markdown(*back), md);
}

}  // namespace racine::resolve
