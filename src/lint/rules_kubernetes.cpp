// RAC5xx: the Kubernetes classification rules of a matrix. The checks live in
// k8s/rules (`racine k8s lint`); the catalog holds their declarations and examples,
// which are rules files for the built-in matrix.

#include "lint/rule.h"

namespace racine::lint {

extern const Rule k_rac501{
    .code = "RAC501",
    .slug = "k8s-unknown-activity",
    .severity = Severity::error,
    .summary = "every Kubernetes rule points to an activity of the matrix",
    .bad_example =
        "racine-kubernetes: 1\nrules:\n  - name: nodes\n    kind: Node\n    activity: "
        "manage-the-nodes\n",
    .good_example =
        "racine-kubernetes: 1\nrules:\n  - name: nodes\n    kind: Node\n"
        "    activity: resoudre-les-problemes-lies-au-service-kubernetes\n",
    .check = nullptr,
    .kubernetes = true,
};

extern const Rule k_rac502{
    .code = "RAC502",
    .slug = "k8s-shadowed-rule",
    .severity = Severity::warning,
    .summary = "every Kubernetes rule can match something that earlier rules do not",
    .bad_example =
        "racine-kubernetes: 1\nrules:\n  - name: certificates\n    kind: Certificate\n"
        "    activity: gerer-les-certificats-ssl-tls-pour-les-applications\n"
        "  - name: platform-certificates\n    kind: Certificate\n    namespace: cert-manager\n"
        "    activity: gerer-les-certificats-ssl-tls-pour-le-service-kubernetes\n",
    .good_example =
        "racine-kubernetes: 1\nrules:\n  - name: platform-certificates\n    kind: Certificate\n"
        "    namespace: cert-manager\n    activity: "
        "gerer-les-certificats-ssl-tls-pour-le-service-kubernetes\n"
        "  - name: certificates\n    kind: Certificate\n"
        "    activity: gerer-les-certificats-ssl-tls-pour-les-applications\n",
    .check = nullptr,
    .kubernetes = true,
};

extern const Rule k_rac503{
    .code = "RAC503",
    .slug = "k8s-bad-matcher",
    .severity = Severity::error,
    .summary = "every label matcher and regular expression of a Kubernetes rule parses",
    .bad_example =
        "racine-kubernetes: 1\nrules:\n  - name: node-alerts\n    labels: "
        "['severity=~\"(critical\"']\n"
        "    activity: gerer-les-alertes-liees-au-service-kubernetes\n",
    .good_example =
        "racine-kubernetes: 1\nrules:\n  - name: node-alerts\n    labels: "
        "['severity=~\"(critical|warning)\"']\n"
        "    activity: gerer-les-alertes-liees-au-service-kubernetes\n",
    .check = nullptr,
    .kubernetes = true,
};

}  // namespace racine::lint
