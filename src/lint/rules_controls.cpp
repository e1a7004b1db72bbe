// RAC6xx: a control mapping of a matrix (reports/controls.h). The checks live in
// reports/controls (`racine lint --controls FILE`); the catalog holds their declarations
// and examples, which are control mappings for the built-in matrix.

#include "lint/rule.h"

namespace racine::lint {

extern const Rule k_rac601{
    .code = "RAC601",
    .slug = "controls-unknown-activity",
    .severity = Severity::error,
    .summary = "every mapping of a control mapping names an activity of the matrix",
    .bad_example =
        "racine-controls: 1\ncatalog:\n  id: csa-ccm-v4\nmappings:\n  - activity: back-up-the-"
        "cluster\n    controls: [BCR-08]\n",
    .good_example =
        "racine-controls: 1\ncatalog:\n  id: csa-ccm-v4\nmappings:\n  - activity: "
        "mettre-en-oeuvre-et-gerer-les-sauvegardes-du-service-kubernetes\n    controls: [BCR-08]\n",
    .check = nullptr,
    .controls = true,
};

extern const Rule k_rac602{
    .code = "RAC602",
    .slug = "controls-unknown-control",
    .severity = Severity::error,
    .summary =
        "every control of a control mapping is in its catalog's list, when the list is given",
    .bad_example =
        "racine-controls: 1\ncatalog:\n  id: csa-ccm-v4\n  controls: [BCR-08, BCR-09, BCR-10]\n"
        "mappings:\n  - activity: mettre-en-oeuvre-et-gerer-les-sauvegardes-du-service-kubernetes\n"
        "    controls: [BCR-8]\n",
    .good_example =
        "racine-controls: 1\ncatalog:\n  id: csa-ccm-v4\n  controls: [BCR-08, BCR-09, BCR-10]\n"
        "mappings:\n  - activity: mettre-en-oeuvre-et-gerer-les-sauvegardes-du-service-kubernetes\n"
        "    controls: [BCR-08]\n",
    .check = nullptr,
    .controls = true,
};

}  // namespace racine::lint
