#!/usr/bin/env bash
# Installs the Debian packages (and, for the tests, the pinned npm packages) racine needs.
#   scripts/deps.sh build   what building and running racine need (make build, make run)
#   scripts/deps.sh test    that, plus what the tests, fuzzers, sanitizers and benchmarks
#                           drive (make test, make sanitize, make fuzz, make bench)
#   scripts/deps.sh list build|test
#                           prints the Debian packages of either set, one a line, and
#                           installs nothing (docs/packaging.md measures them)
# Idempotent: installs only what is missing, runs `apt-get update` only when the package
# lists are absent or a package cannot be found. Works with Debian 12's own Node.js (18)
# as well as newer ones: every npm package is pinned to a version that supports Node 18.
set -euo pipefail

what=${1:-build}
list=false
if [ "$what" = list ]; then
  list=true
  what=${2:-}
fi
case "$what" in
  build | test) ;;
  *)
    echo "usage: scripts/deps.sh build|test|list build|list test" >&2
    exit 2
    ;;
esac

# Everything the build compiles and links against (pkg-config names the libraries'
# own dependencies: libxlsxwriter's .pc asks for -lz, hence zlib1g-dev), gettext's
# msgfmt, which compiles the message catalogs (po/*.po), and `file`, which CPack's
# Debian generator runs before dpkg-shlibdeps (make deb; Debian 12's minimal root and
# container image lack it).
build_packages=(
  build-essential cmake ninja-build pkg-config file
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libyaml-dev libsimdjson-dev libutf8proc-dev libfmt-dev libstemmer-dev
  libre2-dev libssl-dev libxlsxwriter-dev zlib1g-dev libicu-dev libgumbo-dev
  libzip-dev libexpat1-dev
  libsqlite3-dev libpq-dev libsodium-dev libboost1.81-dev libcurl4-openssl-dev gettext
  librhonabwy-dev libkainjow-mustache-dev libical-dev
)
# The test suites, the fuzzers and sanitizers (clang-14 with its runtime), the
# benchmarks' baselines (md4c, Google Benchmark), the browser and LibreOffice tests, the
# format check (clang-format), a private PostgreSQL server for the store's tests
# (started by the tests themselves, never as a service), wrk and nginx-light for the
# server's benchmark (nginx run as a private process), Prometheus Alertmanager and
# aiosmtpd for the routing tests (an Alertmanager and an SMTP sink started by the tests
# as private processes), man-db (the man page is checked with `man --warnings`),
# python3-yaml (reads action.yml in tests/packaging/), Request Tracker 5 for the service
# desk tests (request-tracker5 with its SQLite backend and rt5-standalone, which brings
# the Starlet server for rt-server; tests/rt/rt.sh starts it as a private process on a
# private SQLite database, never as a service), Patroni with etcd for the failover test
# (patroni, python3-etcd, its etcd client, named since patroni's alternatives may pick
# another DCS, and etcd-server; tests/ha/failover.py runs a one-member etcd and two
# Patroni nodes as private processes on 127.0.0.1, never as services), llvm (its
# llvm-symbolizer names the functions and lines in a sanitizer's or a fuzzer's report:
# without it, CI's log of a failure holds addresses only), and Node.js for the npm tools.
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev libmd4c-dev
  clang-14 libclang-rt-14-dev llvm clang-format time bsdutils
  chromium libreoffice-calc-nogui poppler-utils postgresql-15 wrk nginx-light
  prometheus-alertmanager python3-aiosmtpd man-db python3-yaml
  request-tracker5 rt5-db-sqlite rt5-standalone
  patroni python3-etcd etcd-server
)

packages=("${build_packages[@]}")
if [ "$what" = test ]; then packages+=("${test_packages[@]}"); fi
if [ "$list" = true ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js runs the validators and the browser driver in the tests; install Debian's only
# when none is present (a newer one, if installed, is used as it is).
if [ "$what" = test ] && { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; }; then
  missing+=(nodejs npm)
fi
# kubectl renders the Kubernetes manifests in the tests (kubectl kustomize, offline):
# Debian's kubernetes-client (1.20) where no kubectl is installed. Another kubectl (from
# the Kubernetes or a cloud vendor's repository) ships the same /usr/bin/kubectl, which
# dpkg would refuse to overwrite: it is used as it is.
if [ "$what" = test ] && ! command -v kubectl >/dev/null 2>&1; then
  missing+=(kubernetes-client)
fi
# request-tracker5 depends on a mail transport agent; apt's first choice, exim4, is a
# daemon. Where none is installed, esmtp-run, a relay-only sendmail that runs nothing
# (tests/rt/rt.sh sends no mail anyway); an installed one is kept.
if [[ " ${missing[*]} " == *" request-tracker5 "* ]] &&
  ! dpkg-query -W -f='${db:Status-Abbrev} ${Provides}\n' 2>/dev/null | grep -q '^ii .*mail-transport-agent'; then
  missing+=(esmtp-run)
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
  $sudo apt-get update
fi
# PostgreSQL is for the tests' private servers only: no cluster, no service at install.
if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
  $sudo mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/racine.conf >/dev/null
fi
# etcd likewise: Debian's etcd-server enables a system etcd on 2379; under systemd it is
# masked before the install (the failover test starts its own).
if [[ " ${missing[*]} " == *" etcd-server "* ]] && [ -d /run/systemd/system ]; then
  $sudo systemctl mask etcd.service >/dev/null
fi
# Request Tracker likewise: no database made by dbconfig-common (tests/rt/rt.sh makes its
# own), no cron jobs, no questions.
if [[ " ${missing[*]} " == *" request-tracker5 "* ]]; then
  printf '%s\n' \
    'request-tracker5 request-tracker5/dbconfig-install boolean false' \
    'request-tracker5 request-tracker5/install-cronjobs boolean false' |
    $sudo debconf-set-selections
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

if [ "$what" = build ]; then exit 0; fi

# The npm packages the tests drive, pinned by committed lockfiles: tests/npm/DIR holds a
# package.json and its package-lock.json (every version and integrity hash), and
# `npm ci` installs exactly that into .cache/DIR/node_modules (git-ignored), where the
# tests look for the tools. One folder per tool, so that each test's path stays
# .cache/TOOL and one tool's upgrade never moves another's dependencies.
#   sarif-multitool  @microsoft/sarif-multitool: Microsoft's SARIF multitool validates
#                    racine's SARIF (tests/sarif/validate.sh)
#   ajv              ajv-cli + ajv-formats: a JSON Schema validator for the canonical
#                    YAML and JSON (docs/schema/racine-1.schema.json) and the OSCAL export
#                    against NIST's schema; ajv-formats checks date-time, uri-reference...
#   playwright       playwright-core: drives Debian's chromium in the browser tests (it
#                    downloads no browser of its own). 1.61 is the last release that runs
#                    on Node 18 (Debian 12's); 1.62 and later require Node 20.
#   axe              axe-core: accessibility checks of the web portal (its axe.min.js is
#                    loaded into the page by tests/browser/portal.mjs)
#   openapi          @seriousme/openapi-schema-validator: OpenAPI 3.1 for data/openapi.json
#   oidc-provider    oidc-provider (panva's, OpenID Certified): a real OpenID Provider the
#                    tests start privately on 127.0.0.1 (tests/oidc/op.mjs, op.sh); 8.8.1 is
#                    the last 8.x (9.x is for newer Node.js). Its jose checks ID tokens in
#                    tests/oidc/selftest.mjs.
#   kubernetes       kubernetes-models and @kubernetes-models/prometheus-operator (the
#                    Kubernetes API's and the Prometheus Operator's schemas, as validators
#                    and TypeScript interfaces; 4.x, the last for Node 18: 5.x needs Node
#                    22), typescript (checks the manifests against those interfaces), yaml
#                    (reads kubectl kustomize's output), @prometheus-io/lezer-promql
#                    (Prometheus's PromQL grammar): tests/kubernetes/check.mjs
#   backstage        @backstage/catalog-model (Backstage's own entity policies and kind
#                    validators) and yaml: `export --format backstage`, tests/backstage/check.mjs
# Every version runs on Node 18. Install scripts are off (--ignore-scripts) for all of
# them: the only package that has one is @microsoft/sarif-multitool-linux, whose
# postinstall is `chmod u+x Sarif.Multitool` (npm's tarball loses the executable bit),
# done below instead. To upgrade a tool: edit tests/npm/DIR/package.json, then
# `npm install --package-lock-only --ignore-scripts` in that folder, and commit both files.
root=$(cd "$(dirname "$0")/.." && pwd)
npm_ci() {
  local name=$1 pinned="$root/tests/npm/$1" dir="$root/.cache/$1"
  # npm ci writes node_modules/.package-lock.json; the committed lockfile copied beside
  # it says what is installed: nothing to do when it is the same.
  if cmp -s "$pinned/package-lock.json" "$dir/package-lock.json" && [ -d "$dir/node_modules" ]; then
    return 0
  fi
  echo "deps: npm ci of tests/npm/$name into .cache/$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$pinned/package.json" "$pinned/package-lock.json" "$dir/"
  # npm's own words when it fails (a proxy's certificate, no network), not only make's.
  if ! (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund) >"$dir.log" 2>&1; then
    echo "deps: npm ci could not install tests/npm/$name; the end of its output ($dir.log):" >&2
    tail -n 15 "$dir.log" >&2
    rm -f "$dir/package-lock.json"  # so that the next run tries again
    exit 1
  fi
}
for tool in sarif-multitool ajv playwright axe openapi oidc-provider adaptivecards kubernetes backstage; do npm_ci "$tool"; done
# The multitool's postinstall, without running the package's script.
chmod u+x "$root/.cache/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
