#include "k8s/objects.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "formats/tree.h"

namespace racine::k8s {

namespace {

using Kind = TreeNode::Kind;

std::string string_at(const TreeNode* n) {
  return n != nullptr && n->kind == Kind::scalar ? n->value : std::string();
}

std::map<std::string, std::string> labels_of(const TreeNode* n) {
  std::map<std::string, std::string> out;
  if (n == nullptr || n->kind != Kind::map) return out;
  for (std::size_t i = 0; i + 1 < n->items.size(); i += 2) {
    if (n->items[i].kind == Kind::scalar && n->items[i + 1].kind == Kind::scalar)
      out[n->items[i].value] = n->items[i + 1].value;
  }
  return out;
}

std::optional<Error> add_object(const SourcePtr& src, const TreeNode& doc,
                                std::vector<Located>& out, std::size_t number,
                                const std::string& default_namespace) {
  if (doc.kind != Kind::map) {
    return error_at(src, doc.offset,
                    fmt::format("document {} is not a Kubernetes object: {} instead of a mapping",
                                number, doc.kind_name()));
  }
  const std::string kind = string_at(doc.find("kind"));
  const std::string api = string_at(doc.find("apiVersion"));
  if (kind.empty() || api.empty()) {
    return error_at(src, doc.offset,
                    fmt::format("document {} is not a Kubernetes object: it has no `{}`", number,
                                kind.empty() ? "kind" : "apiVersion"));
  }
  if (kind.ends_with("List")) {
    const TreeNode* items = doc.find("items");
    if (items != nullptr && items->kind == Kind::sequence) {
      for (const auto& item : items->items) {
        if (auto e = add_object(src, item, out, number, default_namespace)) return e;
      }
      return std::nullopt;
    }
  }
  Located l;
  l.span = {doc.offset, doc.offset + 1};
  l.subject.kind = kind;
  const auto slash = api.find('/');
  l.subject.group = slash == std::string::npos ? "" : api.substr(0, slash);
  const TreeNode* meta = doc.find("metadata");
  if (meta != nullptr && meta->kind == Kind::map) {
    l.subject.name = string_at(meta->find("name"));
    l.subject.namespace_ = string_at(meta->find("namespace"));
    l.subject.labels = labels_of(meta->find("labels"));
  }
  if (l.subject.namespace_.empty() && namespaced_kind(kind))
    l.subject.namespace_ = default_namespace;
  out.push_back(std::move(l));
  return std::nullopt;
}

}  // namespace

bool namespaced_kind(std::string_view kind) {
  // The namespaced kinds of Kubernetes 1.28's built-in API groups (`kubectl
  // api-resources --namespaced=true`). A custom resource's scope is in its CRD, which a
  // manifest does not carry: its namespace stays as written.
  static constexpr std::string_view k_kinds[] = {"Pod",
                                                 "Deployment",
                                                 "StatefulSet",
                                                 "DaemonSet",
                                                 "ReplicaSet",
                                                 "Job",
                                                 "CronJob",
                                                 "Service",
                                                 "ConfigMap",
                                                 "Secret",
                                                 "ServiceAccount",
                                                 "Role",
                                                 "RoleBinding",
                                                 "Ingress",
                                                 "NetworkPolicy",
                                                 "PersistentVolumeClaim",
                                                 "ResourceQuota",
                                                 "LimitRange",
                                                 "HorizontalPodAutoscaler",
                                                 "PodDisruptionBudget",
                                                 "Endpoints",
                                                 "EndpointSlice",
                                                 "Event",
                                                 "Lease",
                                                 "PodTemplate",
                                                 "ReplicationController",
                                                 "ControllerRevision",
                                                 "CSIStorageCapacity"};
  return std::find(std::begin(k_kinds), std::end(k_kinds), kind) != std::end(k_kinds);
}

Result<std::vector<Located>> read_manifests(const SourcePtr& source,
                                            const std::string& default_namespace) {
  auto docs = parse_documents(source);
  if (!docs) return docs.error();
  if (docs->empty()) return error_at(source, 0, "no Kubernetes object: the input is empty");
  std::vector<Located> out;
  for (std::size_t d = 0; d < docs->size(); ++d) {
    if (auto e = add_object(source, (*docs)[d], out, d + 1, default_namespace)) return *e;
  }
  return out;
}

Result<std::vector<Located>> read_alerts(const SourcePtr& source) {
  auto tree = parse_tree(source);
  if (!tree) return tree.error();
  const TreeNode* alerts = tree->kind == Kind::sequence ? &*tree : tree->find("alerts");
  if (alerts == nullptr || alerts->kind != Kind::sequence) {
    return error_at(source, tree->offset, "not an Alertmanager webhook payload: no `alerts` list");
  }
  std::vector<Located> out;
  for (const auto& a : alerts->items) {
    const TreeNode* labels = a.find("labels");
    if (labels == nullptr || labels->kind != Kind::map)
      return error_at(source, a.offset, "an alert without `labels`");
    Located l;
    l.span = {a.offset, a.offset + 1};
    l.subject.alert = true;
    l.subject.labels = labels_of(labels);
    if (const auto it = l.subject.labels.find("alertname"); it != l.subject.labels.end())
      l.subject.alertname = it->second;
    if (const auto it = l.subject.labels.find("namespace"); it != l.subject.labels.end())
      l.subject.namespace_ = it->second;
    out.push_back(std::move(l));
  }
  return out;
}

Result<Subject> alert_from_pairs(const std::vector<std::string>& pairs) {
  Subject s;
  s.alert = true;
  for (const auto& p : pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return Error{"", 0, 0, fmt::format("--label '{}': expected NAME=VALUE", p)};
    s.labels[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (const auto it = s.labels.find("alertname"); it != s.labels.end()) s.alertname = it->second;
  if (const auto it = s.labels.find("namespace"); it != s.labels.end()) s.namespace_ = it->second;
  return s;
}

}  // namespace racine::k8s
