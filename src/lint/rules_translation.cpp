// RAC4xx: a translation against its source. The checks live in query/i18n (they need two
// matrices); the catalog holds their declarations and examples, which show the source,
// a separator line, then the translation.

#include "lint/rule.h"

namespace racine::lint {

extern const Rule k_rac401{
    .code = "RAC401",
    .slug = "translation-rows",
    .severity = Severity::error,
    .summary = "a translation has the source's sections and, in each, as many activities",
    .bad_example =
        "## Sauvegarde\n\n| Activité | Client | Fournisseur |\n|---|---|---|\n| Définir la "
        "stratégie de sauvegarde | RA | C |\n"
        "| Tester la restauration | R | A |\n"
        "<!-- translation -->\n"
        "## Backup\n\n| Activity | Client | Provider |\n|---|---|---|\n| Define the backup "
        "strategy | RA | C |\n",
    .good_example =
        "## Sauvegarde\n\n| Activité | Client | Fournisseur |\n|---|---|---|\n| Définir la "
        "stratégie de sauvegarde | RA | C |\n"
        "| Tester la restauration | R | A |\n"
        "<!-- translation -->\n"
        "## Backup\n\n| Activity | Client | Provider |\n|---|---|---|\n| Define the backup "
        "strategy | RA | C |\n"
        "| Test the restore | R | A |\n",
    .check = nullptr,
    .translation = true,
};

extern const Rule k_rac402{
    .code = "RAC402",
    .slug = "translation-roles",
    .severity = Severity::error,
    .summary = "a translation gives every party the source's roles",
    .bad_example =
        "| Activité | Client | Fournisseur |\n|---|---|---|\n| Définir la stratégie de sauvegarde "
        "| RA | C |\n"
        "<!-- translation -->\n"
        "| Activity | Client | Provider |\n|---|---|---|\n| Define the backup strategy | RA | CI "
        "|\n",
    .good_example =
        "| Activité | Client | Fournisseur |\n|---|---|---|\n| Définir la stratégie de sauvegarde "
        "| RA | C |\n"
        "<!-- translation -->\n"
        "| Activity | Client | Provider |\n|---|---|---|\n| Define the backup strategy | RA | C "
        "|\n",
    .check = nullptr,
    .translation = true,
};

extern const Rule k_rac403{
    .code = "RAC403",
    .slug = "translation-markers",
    .severity = Severity::warning,
    .summary = "a translation keeps the source's footnote markers",
    .bad_example =
        "| Activité | Client | Fournisseur |\n|---|---|---|\n| Sauvegarder les applications | RA | "
        "I* |\n\n"
        "*Délégable.\n"
        "<!-- translation -->\n"
        "| Activity | Client | Provider |\n|---|---|---|\n| Back up the applications | RA | I "
        "|\n\n*Delegable.\n",
    .good_example =
        "| Activité | Client | Fournisseur |\n|---|---|---|\n| Sauvegarder les applications | RA | "
        "I* |\n\n"
        "*Délégable.\n"
        "<!-- translation -->\n"
        "| Activity | Client | Provider |\n|---|---|---|\n| Back up the applications | RA | I* "
        "|\n\n*Delegable.\n",
    .check = nullptr,
    .translation = true,
};

}  // namespace racine::lint
