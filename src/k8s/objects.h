#pragma once
// What `racine k8s who` classifies, read from what people have at hand: manifests
// (multi-document YAML, `kubectl get -o yaml` List output, JSON), the alerts of an
// Alertmanager webhook payload (version 4), or label pairs from the command line.

#include <string>
#include <vector>

#include "core/result.h"
#include "core/source.h"
#include "k8s/rules.h"

namespace racine::k8s {

struct Located {
  Subject subject;
  Span span;  // where the object or alert starts in its source
};

// Every object of every document; Lists are expanded. A document that is not a
// Kubernetes object (no `kind` or `apiVersion`) is an Error with its line and column.
// An object of a built-in namespaced kind (Pod, Deployment, Service, Role...) that names
// no namespace is in `default_namespace`, as kubectl puts it ("default", or `-n
// NAMESPACE`); cluster-scoped kinds, and custom resources (whose scope is in their CRD),
// keep what they say.
Result<std::vector<Located>> read_manifests(const SourcePtr& source,
                                            const std::string& default_namespace = "default");

// True for the built-in kinds Kubernetes keeps in namespaces.
bool namespaced_kind(std::string_view kind);

// The alerts of a webhook payload (`{"version": "4", "alerts": [{"labels": {...}}]}`);
// a bare list of alerts is accepted too.
Result<std::vector<Located>> read_alerts(const SourcePtr& source);

// An alert made of `name=value` pairs (`--label alertname=KubeNodeNotReady`); the error
// names the pair that has no `=`.
Result<Subject> alert_from_pairs(const std::vector<std::string>& pairs);

}  // namespace racine::k8s
