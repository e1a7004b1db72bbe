#!/usr/bin/env bash
# The Debian package (`make deb`, cmake/packaging.cmake), built by CPack from the build
# tree into a temporary folder, then checked as a user of a Debian 12 machine meets it:
#   - `dpkg-deb --contents` lists exactly the expected paths, modes and link
#     (tests/packaging/deb-contents.expected);
#   - Depends names the runtime libraries (libyaml, libcurl, ...) and no test tool;
#   - the extracted binary (`dpkg-deb -x` into a throwaway root) runs: `--version` and
#     `lint` on a small matrix give the exact expected output and exit status, and
#     kubectl-raci, the link, behaves as `racine k8s`;
#   - it finds its French message catalog where the package puts it;
#   - the extracted man pages (English, French) read without a warning under
#     `man -l --warnings`.
# Usage: deb.sh CPACK BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
cpack=$1 build=$2 src=$3 version=$4
source "$src/tests/prerequisites.sh"
for tool in dpkg-deb dpkg-shlibdeps file man; do
  command -v "$tool" >/dev/null 2>&1 || missing "$tool is absent: run make deps-test (dpkg-dev, file, man-db)"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() {  # check WHAT EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") || true
    fail=1
  else
    echo "ok: $1"
  fi
}

# 1. Build the package from the build tree (its install rules, dpkg-shlibdeps).
if ! "$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "FAIL: cpack could not build the package"
  exit 1
fi
deb="$work/out/racine_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "FAIL: $deb was not written"; ls "$work/out"; exit 1; }

# 2. Exactly these paths: mode, path and link target (sizes, dates and owners vary).
contents=$(dpkg-deb --contents "$deb" | awk '{ $2 = $3 = $4 = $5 = ""; print }' | sed 's/  */ /g')
check "dpkg-deb --contents" "$(cat "$src/tests/packaging/deb-contents.expected")" "$contents"

# 3. The control fields.
check "Package" racine "$(dpkg-deb --field "$deb" Package)"
check "Version" "$version" "$(dpkg-deb --field "$deb" Version)"
depends=$(dpkg-deb --field "$deb" Depends)
names=$(echo "$depends" | tr ',' '\n' | sed 's/ *(.*//; s/^ *//' | sort)
for lib in libc6 libstdc++6 libyaml-0-2 libyaml-cpp0.7 libcurl4 libfmt9 libicu72 libre2-9 \
  libssl3 libsqlite3-0 libpq5 libsodium23 libstemmer0d libutf8proc2 libxlsxwriter4 libsimdjson14 \
  librhonabwy1.1; do
  if ! grep -qx "$lib" <<<"$names"; then
    echo "FAIL: Depends lacks $lib: $depends"
    fail=1
  fi
done
# Nothing the tests, fuzzers or benchmarks use, nor a development package.
if grep -E -e '-dev$' -e '^(chromium|libreoffice|clang|postgresql|prometheus|nginx|wrk|nodejs|npm|python3|libgtest|libgmock|libbenchmark|libmd4c|man-db)' <<<"$names"; then
  echo "FAIL: Depends names a test tool or a development package (above): $depends"
  fail=1
fi
echo "Depends: $depends"

# 4. The installed binary, run from a throwaway root.
dpkg-deb -x "$deb" "$work/root"
racine="$work/root/usr/bin/racine"
check "racine --version" "$("$build/racine" --version)" "$("$racine" --version)"
if ! "$racine" --version | grep -qF "$version"; then
  echo "FAIL: racine --version does not say $version"
  fail=1
fi
# A small matrix with two findings, as its golden file says (tests/golden/lint/), exit 1.
cd "$src"
set +e
out=$("$racine" lint tests/golden/lint/rasci.md 2>&1)
status=$?
# kubectl-raci is `racine k8s` (kubectl runs `kubectl raci ARGS` as `kubectl-raci ARGS`).
k8s_out=$("$racine" k8s lint 2>&1)
k8s_status=$?
plugin_out=$("$work/root/usr/bin/kubectl-raci" lint 2>&1)
plugin_status=$?
set -e
check "racine lint (output)" "$(cat tests/golden/lint/rasci.text.expected)" "$out"
check "racine lint (exit status)" 1 "$status"
check "kubectl-raci lint = racine k8s lint (output)" "$k8s_out" "$plugin_out"
check "kubectl-raci lint = racine k8s lint (exit status)" "$k8s_status" "$plugin_status"

# The installed binary finds its French catalog (usr/share/locale, beside usr/bin).
set +e
fr_out=$(env -u LANGUAGE -u LC_MESSAGES LC_ALL=fr_FR.UTF-8 "$racine" lnt 2>&1)
fr_status=$?
build_fr_out=$(env -u LANGUAGE -u LC_MESSAGES LC_ALL=fr_FR.UTF-8 "$build/racine" lnt 2>&1)
set -e
check "LC_ALL=fr_FR.UTF-8 racine lnt (exit status)" 2 "$fr_status"
check "LC_ALL=fr_FR.UTF-8 racine lnt (as the build tree's racine says it)" "$build_fr_out" "$fr_out"
if ! grep -q "commande inconnue 'lnt'" <<<"$fr_out"; then
  echo "FAIL: the installed racine did not answer in French: $fr_out"
  fail=1
fi

# 5. The man pages, English and French, as man reads them (groff's warnings on; none
# expected), gzipped as Debian wants: -9n, no file name (flags byte 0), no time stamp.
for lang in "" fr; do
  page="$work/root/usr/share/man/${lang:+$lang/}man1/racine.1.gz"
  warnings=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" 2>&1 >/dev/null)
  check "man --warnings -l ${lang:+$lang/}racine.1.gz (no warning)" "" "$warnings"
  check "${lang:+$lang/}racine.1.gz gzip header (no name, no time)" "00 00 00 00 00" \
    "$(od -An -tx1 -j3 -N5 "$page" | sed 's/^ *//')"
done
check "man page: English" ".SH NAME" "$(zcat "$work/root/usr/share/man/man1/racine.1.gz" | sed -n 2p)"
check "man page: French" ".SH NOM" "$(zcat "$work/root/usr/share/man/fr/man1/racine.1.gz" | sed -n 2p)"

exit $fail
