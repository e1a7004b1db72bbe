#!/usr/bin/env bash
# Installs every Debian package racine needs to build, test, fuzz and benchmark.
# Idempotent: installs only what is missing, runs `apt-get update` only when the
# package lists are absent or a package cannot be found.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libutf8proc-dev libfmt-dev libstemmer-dev libre2-dev libssl-dev
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

# Microsoft's SARIF multitool, which the tests use to validate racine's SARIF, from the
# npm registry, pinned, into the project's .cache/ (git-ignored).
root=$(cd "$(dirname "$0")/.." && pwd)
sarif_dir="$root/.cache/sarif-multitool"
sarif_version=5.7.0
if [ ! -x "$sarif_dir/node_modules/.bin/sarif-multitool" ] ||
   ! grep -q "\"version\": \"$sarif_version\"" "$sarif_dir/node_modules/@microsoft/sarif-multitool/package.json" 2>/dev/null; then
  echo "deps: installing @microsoft/sarif-multitool@$sarif_version into .cache/"
  mkdir -p "$sarif_dir"
  npm install --prefix "$sarif_dir" --no-audit --no-fund --silent "@microsoft/sarif-multitool@$sarif_version" >/dev/null
fi
# The package's postinstall (chmod) may be blocked by npm's install-script policy.
find "$sarif_dir/node_modules/@microsoft" -name 'Sarif.Multitool' -type f -exec chmod u+x {} + 2>/dev/null || true

# ajv-cli, a JSON Schema validator, which the tests use to check racine's canonical YAML
# and JSON against docs/schema/racine-1.schema.json; pinned, into .cache/ as well.
ajv_dir="$root/.cache/ajv"
ajv_version=5.0.0
if [ ! -x "$ajv_dir/node_modules/.bin/ajv" ] ||
   ! grep -q "\"version\": \"$ajv_version\"" "$ajv_dir/node_modules/ajv-cli/package.json" 2>/dev/null; then
  echo "deps: installing ajv-cli@$ajv_version into .cache/"
  mkdir -p "$ajv_dir"
  npm install --prefix "$ajv_dir" --no-audit --no-fund --silent "ajv-cli@$ajv_version" >/dev/null
fi
# ajv-formats, so that ajv checks the formats (date-time, uri-reference...) the OSCAL
# schema uses.
if [ ! -d "$ajv_dir/node_modules/ajv-formats" ] ||
   ! grep -q '"version": "2.1.1"' "$ajv_dir/node_modules/ajv-formats/package.json" 2>/dev/null; then
  echo "deps: installing ajv-formats@2.1.1 into .cache/"
  npm install --prefix "$ajv_dir" --no-audit --no-fund --silent "ajv-cli@$ajv_version" "ajv-formats@2.1.1" >/dev/null
fi

# playwright-core drives Debian's chromium in the HTML report's browser test (it
# downloads no browser of its own); pinned, into .cache/ as well.
pw_dir="$root/.cache/playwright"
pw_version=1.65.1
if [ ! -f "$pw_dir/node_modules/playwright-core/package.json" ] ||
   ! grep -q "\"version\": \"$pw_version\"" "$pw_dir/node_modules/playwright-core/package.json" 2>/dev/null; then
  echo "deps: installing playwright-core@$pw_version into .cache/"
  mkdir -p "$pw_dir"
  npm install --prefix "$pw_dir" --no-audit --no-fund --silent "playwright-core@$pw_version" >/dev/null
fi
