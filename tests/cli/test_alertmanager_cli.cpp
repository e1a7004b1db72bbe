// `racine export --format alertmanager` end to end (docs/routing.md, "An Alertmanager
// routing tree"): a canonical matrix with its own rules, three parties and an activity
// nobody hears of; the client's party and escalate_after; the file written; and every
// refusal with its message. The built-in matrix's exact output, with and without the
// option, is golden (tests/golden/export/seed*.alertmanager.yml.expected); amtool reads
// them in tests/routing/alertmanager_export.py.

#include <gtest/gtest.h>

#include "cli/cli_test_support.h"

namespace racine::test {

namespace {

const char* const k_three = R"(racine: 1
title: "Three parties"
language: en
parties:
  - id: client
    name: Client
  - id: provider
    name: Provider
  - id: sre
    name: SRE team
sections:
  - title: Alerts
    activities:
      - title: Handle application alerts
        roles: {client: RA, provider: I, sre: C}
      - title: Handle platform alerts
        roles: {client: I, provider: RA, sre: R}
      - title: Review capacity
        roles: {client: C, provider: C, sre: C}
kubernetes:
  rules:
    - name: platform
      alertname: "(Node|Kube).*"
      namespace: ["", "kube-*"]
      activity: handle-platform-alerts
    - name: capacity
      labels: ['alertname="CapacityReview"']
      activity: review-capacity
    - name: pods
      kind: Pod
      activity: handle-application-alerts
    - name: applications
      namespace: "?*"
      activity: handle-application-alerts
)";

// What follows the opening comment.
std::string tree(const std::string& yaml) {
  const auto at = yaml.find("\nroute:\n");
  return at == std::string::npos ? yaml : yaml.substr(at + 1);
}

}  // namespace

TEST(ExportAlertmanager, AMatrixWithItsOwnRulesThreePartiesAndAnActivityNobodyHearsOf) {
  TempDir d;
  const auto matrix = d.write("three.yaml", k_three);
  // The SRE team's contract: the gray zone goes to the client, the first other party.
  const auto r = racine({"export", matrix, "--format", "alertmanager", "--party", "SRE team",
                         "--escalate-after", "90s"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(r.out.starts_with(
      "# Alertmanager routing of the matrix three: Three parties\n"
      "# Contract options: none. The client's party: sre; the provider's (the gray zone): "
      "client.\n"))
      << r.out;
  EXPECT_NE(r.out.find("# A route per classification rule that can match an alert (3 of the 4 "
                       "rules; the\n# rest classify Kubernetes objects only), in order"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(tree(r.out),
            "route:\n"
            "  receiver: client  # the gray zone: no rule matches\n"
            "  group_by: ['...']  # every alert on its own, as racine routes them\n"
            "  routes:\n"
            "    # rule platform: Handle platform alerts\n"
            "    - matchers:\n"
            "        - 'alertname=~\"(Node|Kube).*\"'\n"
            "        - 'namespace=~\"|kube-.*\"'\n"
            "      routes:\n"
            "        - receiver: provider  # R: firing and resolved\n"
            "          continue: true\n"
            "        - receiver: sre  # R: firing and resolved\n"
            "          continue: true\n"
            "        - receiver: client  # I: informed\n"
            "          continue: true\n"
            "        - receiver: provider  # A: escalation after 1m30s\n"
            "          matchers: ['racine_escalation=\"\"']  # a route of its own (above)\n"
            "          group_wait: 1m30s\n"
            "    # rule capacity: Review capacity\n"
            "    - matchers:\n"
            "        - 'alertname=\"CapacityReview\"'\n"
            "      receiver: '(nobody)'  # no party is R, I or A on the activity\n"
            "    # rule applications: Handle application alerts\n"
            "    - matchers:\n"
            "        - 'namespace=~\".+\"'\n"
            "      routes:\n"
            "        - receiver: client  # R: firing and resolved\n"
            "          continue: true\n"
            "        - receiver: provider  # I: informed\n"
            "          continue: true\n"
            "        - receiver: client  # A: escalation after 1m30s\n"
            "          matchers: ['racine_escalation=\"\"']  # a route of its own (above)\n"
            "          group_wait: 1m30s\n"
            "receivers:\n"
            "  # One per party, named by its id, without integrations: add each party's\n"
            "  # webhook_configs, email_configs, slack_configs, pagerduty_configs... Until then "
            "it\n"
            "  # receives nothing (a placeholder address would send alerts to it).\n"
            "  - name: client  # Client\n"
            "  - name: provider  # Provider\n"
            "  - name: sre  # SRE team\n"
            "  - name: '(nobody)'  # what reaches no party; leave it without integrations\n");
  // -o writes the same bytes; a .yml or .yaml name is an Alertmanager configuration's.
  const auto file = (d.path() / "alertmanager.yml").string();
  const auto w = racine({"export", matrix, "--format", "alertmanager", "--party", "sre",
                         "--escalate-after", "90s", "-o", file});
  EXPECT_EQ(w.status, 0) << w.err;
  EXPECT_EQ(w.out, "");
  EXPECT_EQ(read_text(file), r.out);
}

TEST(ExportAlertmanager, TheOptionMovesTheRoutesOfTheRowsItDelegates) {
  const auto plain = racine({"export", "--format", "alertmanager"});
  const auto with =
      racine({"export", "--format", "alertmanager", "--with", "infogerance-complementaire"});
  ASSERT_EQ(plain.status, 0) << plain.err;
  ASSERT_EQ(with.status, 0) << with.err;
  // The application certificates: the client's without the option, Cloud Temple's with it.
  const std::string certificates =
      "    # rule certificate-alerts-applications: Gérer les certificats SSL/TLS pour les "
      "applications\n"
      "    - matchers:\n"
      "        - 'alertname=~\"(CertManager|Certificate|X509).*\"'\n"
      "      routes:\n";
  EXPECT_NE(plain.out.find(certificates +
                           "        - receiver: client  # R: firing and resolved\n"
                           "          continue: true\n"
                           "        - receiver: cloud-temple  # I: informed\n"
                           "          continue: true\n"
                           "        - receiver: client  # A: escalation after 15m\n"
                           "          matchers: ['racine_escalation=\"\"']  # a route of its own "
                           "(above)\n"
                           "          group_wait: 15m\n"),
            std::string::npos)
      << plain.out;
  EXPECT_NE(with.out.find(certificates +
                          "        - receiver: cloud-temple  # R: firing and resolved\n"
                          "          continue: true\n"
                          "        - receiver: client  # I: informed\n"
                          "          continue: true\n"
                          "        - receiver: cloud-temple  # A: escalation after 15m\n"
                          "          matchers: ['racine_escalation=\"\"']  # a route of its own "
                          "(above)\n"
                          "          group_wait: 15m\n"),
            std::string::npos)
      << with.out;
  EXPECT_NE(with.out.find("# Contract options: infogerance-complementaire. The client's party: "
                          "client; the provider's (the gray zone): cloud-temple.\n"),
            std::string::npos);
}

TEST(ExportAlertmanager, WhatCannotBeWrittenOrIsMisusedIsRefusedWithExit2) {
  TempDir d;
  // A rule Alertmanager cannot match alike: refused at the rule, nothing written.
  const auto reversed = d.write("reversed.k8s.yaml",
                                "racine-kubernetes: 1\nrules:\n  - name: ok\n    alertname: X\n"
                                "    activity: gerer-les-alertes-liees-aux-applications\n"
                                "  - name: r\n    namespace: [\"ok\", \"[z-a]\"]\n"
                                "    activity: gerer-les-alertes-liees-aux-applications\n");
  const auto out = (d.path() / "am.yml").string();
  auto r = racine({"export", "--format", "alertmanager", "--rules", reversed, "-o", out});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, reversed +
                       ":6:5: error: rule 'r' cannot be written as an Alertmanager route that "
                       "matches what it matches: namespace glob '[z-a]': the range z-a has its "
                       "ends reversed: fnmatch matches nothing with it, a regular expression "
                       "refuses it\n");
  EXPECT_FALSE(std::filesystem::exists(out));
  // Rules that would route wrongly, as for `k8s who` and `route test`.
  const auto gone = d.write("gone.k8s.yaml",
                            "racine-kubernetes: 1\nrules:\n  - name: gone\n    alertname: X\n"
                            "    activity: nowhere\n");
  r = racine({"export", "--format", "alertmanager", "--rules", gone});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, gone +
                       ":5:15: error: rule 'gone' points to activity 'nowhere', which the matrix "
                       "does not have [RAC501]\nracine: the Kubernetes rules are broken: `racine "
                       "k8s lint` lists what to fix\n");
  // A Markdown matrix without rules beside it.
  const auto md = d.write("ops.md", "| Activity | Ops |\n|---|---|\n| Run | RA |\n");
  r = racine({"export", md, "--format", "alertmanager"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "racine: " + md + ": no Kubernetes rules for this matrix: write " +
                       (d.path() / "ops.k8s.yaml").string() + " or pass --rules FILE\n");
  // Usage errors.
  const std::vector<std::pair<std::vector<std::string>, std::string>> usage = {
      {{"export", "--format", "json", "--party", "client"},
       "racine: export: --party, --rules and --escalate-after are for --format alertmanager\n"},
      {{"export", "--format", "alertmanager", "-o", "am.json"},
       "racine: export: am.json would write alertmanager under the extension of another format "
       "(json, oscal, ccm, oscal-ssp, oscal-ssp-customer): change the extension or the format\n"},
      {{"export", "--format", "alertmanager", "--party", "nobody"},
       "racine: --party: no party 'nobody' in this matrix\n"},
      {{"export", "--format", "alertmanager", "--escalate-after", "soon"},
       "racine: --escalate-after: 'soon' is not a duration (15m, 2h...)\n"},
  };
  for (const auto& [args, err] : usage) {
    const auto u = racine(args, "", {}, d.path().string());
    EXPECT_EQ(u.status, 2) << args.back();
    EXPECT_EQ(u.err, err);
    EXPECT_EQ(u.out, "");
  }
}

// docs/routing.md shows the built-in matrix's output as it is.
TEST(ExportAlertmanager, TheDocsShowTheBuiltInMatrixsOutput) {
  const std::string golden =
      read_text(source_dir() + "/tests/golden/export/seed.alertmanager.yml.expected");
  ASSERT_FALSE(golden.empty());
  EXPECT_NE(read_text(source_dir() + "/docs/routing.md").find("```yaml\n" + golden + "```\n"),
            std::string::npos)
      << "docs/routing.md, \"An Alertmanager routing tree\": paste "
         "tests/golden/export/seed.alertmanager.yml.expected";
}

}  // namespace racine::test
