// racine k8s who  [-f FILE|-]... [--label K=V]... [--alert FILE] [--with OPTION]...
//                  [--matrix FILE] [--rules FILE] [--json]
// racine k8s lint [--matrix FILE] [--rules FILE] [--format text|json|sarif]
// racine route test --label K=V... [--with OPTION]... [--party ID] [--matrix FILE] [--json]
//                   [--oncall FILE] [--at TIME] [--escalate-after DURATION]
// Installed as kubectl-raci too: `kubectl raci who -f deploy.yaml`.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "formats/document.h"
#include "formats/loader.h"
#include "k8s/classify.h"
#include "k8s/objects.h"
#include "k8s/rules.h"
#include "query/duties.h"
#include "route/hours.h"
#include "route/route.h"
#include "service/service.h"
#include "store/store.h"

namespace racine::cli {

namespace {

struct K8sOptions {
  std::vector<std::string> files;
  std::vector<std::string> labels;
  std::string alert_file;
  std::string matrix;
  std::optional<std::string> rules;
  std::vector<std::string> with;
  bool json = false;
  std::string format = "text";
  std::string namespace_ = "default";
  bool recursive = false;
  InputOptions input;
  // route test's schedule: the parties' on-call rules, when the alert arrives, the
  // contract's escalate_after.
  std::string oncall_file;
  std::string at;
  std::string escalate_after = "15m";
};

// The files `-f` names, as kubectl reads them: a file as it is; a directory's .yaml,
// .yml and .json files in name order (with -R, its sub-directories' too).
Result<std::vector<std::string>> manifest_files(const std::vector<std::string>& given,
                                                bool recursive) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& f : given) {
    std::error_code ec;
    if (f == "-" || !fs::is_directory(f, ec)) {
      out.push_back(f);
      continue;
    }
    std::vector<std::string> found;
    auto take = [&](const fs::directory_entry& e) {
      std::error_code fec;
      if (!e.is_regular_file(fec)) return;
      const std::string ext = e.path().extension().string();
      if (ext == ".yaml" || ext == ".yml" || ext == ".json") found.push_back(e.path().string());
    };
    if (recursive) {
      for (fs::recursive_directory_iterator it(f, ec), end; !ec && it != end; it.increment(ec))
        take(*it);
    } else {
      for (fs::directory_iterator it(f, ec), end; !ec && it != end; it.increment(ec)) take(*it);
    }
    if (ec) return Error{f, 0, 0, fmt::format("cannot list the directory: {}", ec.message())};
    if (found.empty()) {
      return Error{f, 0, 0,
                   recursive ? std::string("no .yaml, .yml or .json file in this directory tree")
                             : std::string("no .yaml, .yml or .json file in this directory (-R "
                                           "reads its sub-directories)")};
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

// The rules of a matrix: --rules, else the built-in matrix's own, else the `kubernetes:`
// key of a canonical matrix, else NAME.k8s.yaml beside a Markdown matrix.
Result<k8s::RuleSet> load_rules(const K8sOptions& o, const config::Config& config) {
  return load_k8s_rules(o.matrix, o.rules, config);
}

// The subject as one line, its text from input escaped.
std::string subject_text(const k8s::Subject& s) {
  if (s.alert) {
    std::string labels;
    for (const auto& [k, v] : s.labels) {
      if (k == "alertname") continue;
      labels += fmt::format("{}{}=\"{}\"", labels.empty() ? "" : ", ", printable(k), printable(v));
    }
    return fmt::format("alert {} {{{}}}",
                       s.alertname.empty() ? "(no alertname)" : printable(s.alertname), labels);
  }
  return s.namespace_.empty() ? fmt::format("{} {}", printable(s.kind), printable(s.name))
                              : fmt::format("{} {}/{}", printable(s.kind), printable(s.namespace_),
                                            printable(s.name));
}

// What classifying needs: the configuration, the matrix (its options applied) and its
// rules. Broken rules would give wrong answers: they are refused, with what `k8s lint`
// says. nullopt once the reason is printed.
struct Classifier {
  config::Config config;
  Matrix matrix;
  k8s::RuleSet rules;
};

std::optional<Classifier> load_classifier(const K8sOptions& o) {
  auto config = config_for(o.matrix, o.input);
  if (!config) {
    print_error(config.error());
    return std::nullopt;
  }
  auto m = load_matrix(o.matrix, o.input, o.with);
  if (!m) return std::nullopt;
  auto rules = load_rules(o, *config);
  if (!rules) {
    print_error(rules.error());
    return std::nullopt;
  }
  if (!k8s_rules_usable(*rules, *m)) return std::nullopt;
  return Classifier{std::move(*config), std::move(*m), std::move(*rules)};
}

int run_who(const K8sOptions& o) {
  auto loaded = load_classifier(o);
  if (!loaded) return k_exit_error;
  const config::Config* config = &loaded->config;
  const Matrix* m = &loaded->matrix;
  const k8s::RuleSet* rules = &loaded->rules;
  std::vector<k8s::Located> subjects;
  const auto files = manifest_files(o.files, o.recursive);
  if (!files) {
    print_error(files.error());
    return k_exit_error;
  }
  for (const auto& f : files.value()) {
    auto src =
        f == "-" ? load_stream(std::cin, "<stdin>", config->limits) : load_file(f, config->limits);
    if (!src) {
      print_error(src.error());
      return k_exit_error;
    }
    auto objects = k8s::read_manifests(*src, o.namespace_);
    if (!objects) {
      print_error(objects.error());
      return k_exit_error;
    }
    subjects.insert(subjects.end(), objects->begin(), objects->end());
  }
  if (!o.alert_file.empty()) {
    auto src = o.alert_file == "-" ? load_stream(std::cin, "<stdin>", config->limits)
                                   : load_file(o.alert_file, config->limits);
    if (!src) {
      print_error(src.error());
      return k_exit_error;
    }
    auto alerts = k8s::read_alerts(*src);
    if (!alerts) {
      print_error(alerts.error());
      return k_exit_error;
    }
    subjects.insert(subjects.end(), alerts->begin(), alerts->end());
  }
  if (!o.labels.empty()) {
    auto alert = k8s::alert_from_pairs(o.labels);
    if (!alert) {
      print_usage_error(alert.error().message);
      return k_exit_error;
    }
    subjects.push_back({*alert, {}});
  }
  if (subjects.empty()) {
    print_usage_error(
        tr("k8s who: nothing to classify: give -f FILE, --alert FILE or --label NAME=VALUE"));
    return k_exit_error;
  }
  const Matrix shown = printable_matrix(*m);  // text from input never prints raw
  bool gray = false;
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  std::string text;
  for (const auto& l : subjects) {
    const k8s::Subject& s = l.subject;
    const k8s::Classified c = k8s::classify(*rules, *m, s);
    const k8s::Rule* rule = c.rule;
    const Activity* a = c.activity;
    gray = gray || a == nullptr;
    if (o.json) {
      out.push_back(k8s::classified_to_json(*m, s, c));
      continue;
    }
    if (a == nullptr) {
      text +=
          fmt::format("{}\n  -> gray zone: no rule matches{}\n", subject_text(s),
                      shown.gray_zone ? fmt::format("; the matrix says: {}", shown.gray_zone->text)
                                      : std::string());
    } else {
      text += fmt::format("{}\n  -> {} (line {}) [rule {}]\n     {}\n", subject_text(s),
                          printable(a->title), m->source->position(a->span.begin).line,
                          printable(rule->name), roles_line(shown, *a, "  "));
    }
  }
  if (o.json) {
    fmt::print("{}\n", json_text(out));
  } else {
    print_out(text);
  }
  return gray ? k_exit_found : k_exit_ok;
}

int run_lint(const K8sOptions& o) {
  auto config = config_for(o.matrix, o.input);
  if (!config) {
    print_error(config.error());
    return k_exit_error;
  }
  const auto m = load_matrix(o.matrix, o.input);
  if (!m) return k_exit_error;
  auto rules = load_rules(o, *config);
  if (!rules) {
    print_error(rules.error());
    return k_exit_error;
  }
  FileReport r;
  r.path = rules->source->path();
  r.source = rules->source;
  r.activities = rules->rules.size();
  r.diagnostics = k8s::check_rules(*rules, *m);
  std::vector<FileReport> reports{r};
  print_reports(reports, o.format, config->help_uri_base);
  const ReportSummary s = summarize(reports);
  return s.errors > 0 ? k_exit_found : k_exit_ok;
}

// `route test`: where an alert with these labels goes under a contract with these
// options (docs/routing.md), as `amtool config routes test` answers for Alertmanager.
int run_route_test(const K8sOptions& o, const std::string& party) {
  auto loaded = load_classifier(o);
  if (!loaded) return k_exit_error;
  const Matrix* m = &loaded->matrix;
  const k8s::RuleSet* rules = &loaded->rules;
  if (o.labels.empty()) {
    print_usage_error(tr("route test: give the alert's labels with --label NAME=VALUE"));
    return k_exit_error;
  }
  auto alert = k8s::alert_from_pairs(o.labels);
  if (!alert) {
    print_usage_error(alert.error().message);
    return k_exit_error;
  }
  std::string tenant = party;
  if (tenant.empty() && !m->parties.empty()) tenant = m->parties.front().id;
  if (const auto p = query::find_party(*m, tenant)) {
    tenant = m->parties[*p].id;
  } else {
    print_usage_error(trf("--party: no party '{}' in this matrix", printable(party)));
    return k_exit_error;
  }
  const auto provider = route::provider_party(*m, tenant);
  const route::Plan plan = route::plan(*rules, *m, *alert, provider);
  // The schedule (docs/routing.md, "Working hours"): when each delivery would go, at `--at`
  // under the parties' on-call rules; the server decides the same way.
  std::optional<std::vector<route::Scheduled>> schedule;
  std::int64_t at = store::now_ms();
  if (!o.oncall_file.empty() || !o.at.empty()) {
    if (!o.at.empty()) {
      const auto given = service::ms_of_rfc3339(o.at);
      if (!given) {
        print_usage_error(
            trf("--at: '{}' is not a time (RFC 3339, such as "
                "2026-12-06T03:00:00+01:00)",
                printable(o.at)));
        return k_exit_error;
      }
      at = *given;
    }
    const auto escalate = service::duration_ms(o.escalate_after);
    if (!escalate) {
      print_usage_error(trf("--escalate-after: '{}' is not a duration (15m, 2h...)",
                            printable(o.escalate_after)));
      return k_exit_error;
    }
    std::map<std::string, route::OnCall> parsed;
    if (!o.oncall_file.empty()) {
      const auto src = load_file(o.oncall_file, loaded->config.limits);
      if (!src) {
        print_error(src.error());
        return k_exit_error;
      }
      std::string why;
      auto rules_by_party = route::parse_oncall_by_party(
          nlohmann::json::parse(src.value()->text(), nullptr, false), *m, at, why);
      if (!rules_by_party) {
        print_usage_error(trf("--oncall {}: {}", printable(o.oncall_file), why));
        return k_exit_error;
      }
      parsed = std::move(*rules_by_party);
    }
    std::map<std::string, const route::OnCall*> by_party;
    for (const auto& [id, c] : parsed) by_party.emplace(id, &c);
    route::ScheduleCache cache;
    const auto severity = alert->labels.count("severity") != 0U ? alert->labels.at("severity") : "";
    schedule = route::schedule(plan, *m, by_party, severity, at, *escalate, cache);
  }
  const auto kind_of = [](const route::Scheduled& d) {
    return std::string(route::kind_name(static_cast<route::Kind>(d.kind)));
  };
  if (o.json) {
    auto out = route::plan_to_json(*m, *alert, plan);
    if (schedule) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const auto& d : *schedule) {
        nlohmann::ordered_json one{{"party", m->parties.at(d.party).id},
                                   {"role", std::string(1, d.role)},
                                   {"kind", kind_of(d)},
                                   {"due", store::rfc3339_of_ms(d.due_ms)}};
        if (!d.held.empty()) one["waits_for_hours_of"] = d.held.substr(6);
        if (d.repeat_ms > 0) one["repeat_after_ms"] = d.repeat_ms;
        list.push_back(std::move(one));
      }
      out["at"] = store::rfc3339_of_ms(at);
      out["schedule"] = std::move(list);
    }
    fmt::print("{}\n", json_text(out));
    return plan.gray_zone() ? k_exit_found : k_exit_ok;
  }
  const Matrix shown = printable_matrix(*m);
  std::string text = subject_text(*alert) + "\n";
  if (plan.gray_zone()) {
    text += "  -> gray zone: no rule matches\n";
  } else {
    text += fmt::format("  -> {} (line {}) [rule {}]\n", printable(plan.activity->title),
                        m->source->position(plan.activity->span.begin).line,
                        printable(plan.rule->name));
  }
  // Characters, not bytes: party names are often accented.
  auto columns = [](std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
  };
  std::size_t width = 0;
  for (const auto& p : shown.parties) width = std::max(width, columns(p.name));
  auto line = [&](const route::Recipient& r, std::string_view what) {
    const std::string& name = shown.parties.at(r.party).name;
    text += fmt::format("     {}  {}{}  {}\n", r.role, name,
                        std::string(width - std::min(width, columns(name)), ' '), what);
  };
  for (const auto& r : plan.responsible)
    line(r, plan.gray_zone() ? "firing and resolved, marked gray zone (the provider's party)"
                             : "firing and resolved");
  for (const auto& r : plan.informed) line(r, "informed");
  for (const auto& r : plan.accountable)
    line(r, "escalation, when no one acknowledges within the contract's escalate_after");
  for (const std::size_t c : plan.consulted) line({c, 'C'}, "nothing (consulted)");
  if (schedule) {
    text += fmt::format("  at {} (escalate_after {}):\n", store::rfc3339_of_ms(at),
                        printable(o.escalate_after));
    for (const auto& d : *schedule) {
      const std::string& name = shown.parties.at(d.party).name;
      std::string why;
      if (!d.held.empty()) {
        const std::string& waits = d.held.substr(6);
        for (const auto& p : shown.parties)
          if (p.id == waits) why = "  waits for " + p.name + "'s working hours";
      }
      if (d.repeat_ms > 0) why += fmt::format("  repeats every {} min", d.repeat_ms / 60000);
      text += fmt::format("     {}  {}{}  {:<10}  {}{}\n", d.role, name,
                          std::string(width - std::min(width, columns(name)), ' '), kind_of(d),
                          store::rfc3339_of_ms(d.due_ms), why);
    }
  }
  print_out(text);
  return plan.gray_zone() ? k_exit_found : k_exit_ok;
}

void add_common(CLI::App* app, K8sOptions& o) {
  app->add_option("--matrix", o.matrix, tr("Matrix file (none: the built-in matrix)"))
      ->option_text("FILE");
  app->add_option("--rules", o.rules,
                  tr("Rules file (default: the matrix's own; see docs/kubernetes.md)"))
      ->option_text("FILE");
  add_from(app, o.input.from);
  add_config(app, o.input.config_path);
}

}  // namespace

std::vector<Command> add_k8s(CLI::App& root) {
  CLI::App* k8s = root.add_subcommand(
      "k8s", tr("Which activity, and so which party, a Kubernetes object or an alert belongs to"));
  k8s->require_subcommand(1);
  auto who = std::make_shared<K8sOptions>();
  CLI::App* w = k8s->add_subcommand(
      "who", tr("Classify Kubernetes objects and alerts: activity, then R, A, C, I"));
  repeatable(
      w->add_option("-f,--filename", who->files,
                    tr("Manifests: a file (multi-document YAML, List output, JSON; '-': standard "
                       "input) or a directory of .yaml, .yml and .json files")))
      ->option_text("PATH");
  w->add_flag("-R,--recursive", who->recursive,
              tr("Read the sub-directories of the directories given with -f"));
  w->add_option("-n,--namespace", who->namespace_,
                tr("The namespace of namespaced objects that name none"))
      ->capture_default_str()
      ->option_text("NAMESPACE");
  repeatable(w->add_option("--label", who->labels,
                           tr("An alert label; together the labels are one alert")))
      ->option_text("NAME=VALUE");
  w->add_option("--alert", who->alert_file,
                tr("An Alertmanager webhook payload (version 4; '-': standard input)"))
      ->option_text("FILE");
  add_with(w, who->with);
  w->add_flag("--json", who->json, tr("Write JSON for programs"));
  add_common(w, *who);
  document(w,
           {{tr("Who runs what a manifest deploys"), "racine k8s who -f deploy.yaml"},
            {tr("Every manifest of a folder, as kubectl reads it"),
             "racine k8s who -R -f manifests/ -n shop"},
            {tr("An alert, by its labels"),
             "racine k8s who --label alertname=KubeNodeNotReady --label namespace=kube-system"},
            {tr("As a kubectl plugin (installed as kubectl-raci)"),
             "kubectl get deploy -A -o yaml | kubectl raci who -f -"}},
           {tr("0: every object and alert falls under an activity"),
            tr("1: something falls in the gray zone (no activity covers it)"),
            tr("2: usage error, or a file that cannot be read or parsed")});
  auto lint = std::make_shared<K8sOptions>();
  CLI::App* l = k8s->add_subcommand(
      "lint", tr("Check the Kubernetes rules: unknown activities, shadowed rules, bad matchers"));
  l->add_option("--format", lint->format, tr("Output format: text, json or sarif"))
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str()
      ->option_text("FORMAT");
  add_common(l, *lint);
  document(l,
           {{tr("Check the built-in rules against the built-in matrix"), "racine k8s lint"},
            {tr("Check your rules against your matrix"),
             "racine k8s lint --matrix raci.md --rules raci.k8s.yaml"}},
           {tr("0: no error in the rules"), tr("1: the rules have errors"),
            tr("2: usage error, or a file that cannot be read or parsed")});
  return {{w, [who] { return run_who(*who); }}, {l, [lint] { return run_lint(*lint); }}};
}

std::vector<Command> add_route(CLI::App& root) {
  CLI::App* r =
      root.add_subcommand("route", tr("Alert routing: where an alert goes under a contract"));
  r->require_subcommand(1);
  auto o = std::make_shared<K8sOptions>();
  auto party = std::make_shared<std::string>();
  CLI::App* t = r->add_subcommand(
      "test",
      tr("Which activity an alert with these labels falls under, and which party gets it in which "
         "role (firing, informed, escalation), as the server would route it"));
  document(t,
           {{tr("Where a node alert goes under the built-in matrix"),
             "racine route test --label alertname=KubeNodeNotReady --label namespace=kube-system"},
            {tr("An application alert under the managed-services contract, as JSON"),
             "racine route test --label alertname=TargetDown --label namespace=shop --with "
             "infogerance-complementaire --json"},
            {tr("When a warning on a Sunday at 03:00 pages, under the parties' working hours"),
             "racine route test --label alertname=KubePodCrashLooping --label namespace=shop "
             "--label severity=warning --oncall oncall.json --at 2026-12-06T03:00:00+01:00"}},
           {tr("0: the alert falls under an activity"),
            tr("1: gray zone: no activity covers it (it goes to the provider)"),
            tr("2: usage error, or a file that cannot be read or parsed")});
  repeatable(
      t->add_option("--label", o->labels, tr("An alert label; together the labels are one alert")))
      ->option_text("NAME=VALUE");
  repeatable(t->add_option("--with", o->with,
                           tr("A contract option the client signed (see `racine options`)")))
      ->option_text("OPTION");
  t->add_option("--party", *party,
                tr("The client's party (id or name; default: the matrix's first party); the "
                   "gray zone goes to the first other party, the provider"))
      ->option_text("PARTY");
  t->add_option("--oncall", o->oncall_file,
                tr("The parties' on-call rules, by party id, as the server keeps them (JSON; "
                   "docs/routing.md): prints when each delivery would go"))
      ->option_text("FILE");
  t->add_option("--at", o->at, tr("When the alert arrives (RFC 3339; default: now)"))
      ->option_text("TIME");
  t->add_option("--escalate-after", o->escalate_after, tr("The contract's escalate_after"))
      ->capture_default_str()
      ->option_text("DURATION");
  t->add_flag("--json", o->json, tr("Write JSON for programs"));
  add_common(t, *o);
  return {{t, [o, party] { return run_route_test(*o, *party); }}};
}

}  // namespace racine::cli
