#!/usr/bin/env bash
# Installs every Debian package racine needs to build, test, fuzz and benchmark.
# Idempotent: installs only what is missing, runs `apt-get update` only when the
# package lists are absent or a package cannot be found.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libutf8proc-dev libfmt-dev libstemmer-dev libicu-dev libre2-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev libmd4c-dev
  clang-14 libclang-rt-14-dev time bsdutils chromium libxlsxwriter-dev
  libreoffice-calc-nogui
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js runs the SARIF validator in the tests; install Debian's only when none is present.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
  $sudo apt-get update
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

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
    npm install --prefix "$dir" --no-audit --no-fund --silent "$package@$version" "$@" >/dev/null
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
# playwright-core drives Debian's chromium in the HTML report's browser test (it
# downloads no browser of its own).
npm_pin playwright playwright-core 1.65.1
