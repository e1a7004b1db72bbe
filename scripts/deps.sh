#!/usr/bin/env bash
# Installs the Debian packages (and, for the tests, the pinned npm packages) racine needs.
#   scripts/deps.sh build   what building and running racine need (make build, make run)
#   scripts/deps.sh test    that, plus what the tests, fuzzers, sanitizers and benchmarks
#                           drive (make test, make sanitize, make fuzz, make bench)
# Idempotent: installs only what is missing, runs `apt-get update` only when the package
# lists are absent or a package cannot be found. Works with Debian 12's own Node.js (18)
# as well as newer ones: every npm package is pinned to a version that supports Node 18.
set -euo pipefail

what=${1:-build}
case "$what" in
  build | test) ;;
  *)
    echo "usage: scripts/deps.sh build|test" >&2
    exit 2
    ;;
esac

# Everything the build compiles and links against (pkg-config names the libraries'
# own dependencies: libxlsxwriter's .pc asks for -lz, hence zlib1g-dev), and gettext's
# msgfmt, which compiles the message catalogs (po/*.po).
build_packages=(
  build-essential cmake ninja-build pkg-config
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libyaml-dev libutf8proc-dev libfmt-dev libstemmer-dev
  libre2-dev libssl-dev libxlsxwriter-dev zlib1g-dev libicu-dev
  libsqlite3-dev libpq-dev libsodium-dev libboost1.81-dev libcurl4-openssl-dev gettext
)
# The test suites, the fuzzers and sanitizers (clang-14 with its runtime), the
# benchmarks' baselines (md4c, Google Benchmark), the browser and LibreOffice tests, the
# format check (clang-format), a private PostgreSQL server for the store's tests
# (started by the tests themselves, never as a service), wrk and nginx-light for the
# server's benchmark (nginx run as a private process), Prometheus Alertmanager and
# aiosmtpd for the routing tests (an Alertmanager and an SMTP sink started by the tests
# as private processes), man-db (the man page is checked with `man --warnings`), and
# Node.js for the npm tools.
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev libmd4c-dev
  clang-14 libclang-rt-14-dev clang-format time bsdutils
  chromium libreoffice-calc-nogui poppler-utils postgresql-15 wrk nginx-light
  prometheus-alertmanager python3-aiosmtpd man-db
)

packages=("${build_packages[@]}")
if [ "$what" = test ]; then packages+=("${test_packages[@]}"); fi

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
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

if [ "$what" = build ]; then exit 0; fi

# The npm packages the tests drive, pinned, into the project's .cache/ (git-ignored):
# npm_pin DIR PACKAGE VERSION [PACKAGE@VERSION...] installs PACKAGE@VERSION (and the
# others beside it) into .cache/DIR unless that version is there already.
root=$(cd "$(dirname "$0")/.." && pwd)
npm_pin() {
  local dir="$root/.cache/$1" package=$2 version=$3
  shift 3
  if ! grep -q "\"version\": \"$version\"" "$dir/node_modules/$package/package.json" 2>/dev/null; then
    echo "deps: installing $package@$version $* into .cache/"
    mkdir -p "$dir"
    # npm's own words when it fails (a proxy's certificate, no network), not only make's.
    if ! npm install --prefix "$dir" --no-audit --no-fund "$package@$version" "$@" >"$dir.log" 2>&1; then
      echo "deps: npm could not install $package@$version; the end of its output ($dir.log):" >&2
      tail -n 15 "$dir.log" >&2
      exit 1
    fi
  fi
}
# Microsoft's SARIF multitool validates racine's SARIF.
npm_pin sarif-multitool @microsoft/sarif-multitool 5.7.0
# The package's postinstall (chmod) may be blocked by npm's install-script policy.
find "$root/.cache/sarif-multitool/node_modules/@microsoft" -name 'Sarif.Multitool' -type f -exec chmod u+x {} + 2>/dev/null || true
# ajv-cli (a JSON Schema validator) checks the canonical YAML and JSON against
# docs/schema/racine-1.schema.json and the OSCAL export against NIST's schema;
# ajv-formats lets it check the formats (date-time, uri-reference...) OSCAL uses.
npm_pin ajv ajv-cli 5.0.0 ajv-formats@2.1.1
npm_pin ajv ajv-formats 2.1.1 ajv-cli@5.0.0
# playwright-core drives Debian's chromium in the browser tests (it downloads no browser
# of its own). 1.61 is the last release that runs on Node 18 (Debian 12's); 1.62 and
# later require Node 20.
npm_pin playwright playwright-core 1.61.1
# axe-core checks every page of the web portal for accessibility (tests/browser/portal.mjs
# loads its axe.min.js into the page); it runs in the browser, any Node will do.
npm_pin axe axe-core 4.10.3
# An OpenAPI 3.1 validator checks the server's data/openapi.json.
npm_pin openapi @seriousme/openapi-schema-validator 2.11.0
