# Sourced by the shell tests: what a test needs from outside the project. Under CI
# (CI=true) a missing prerequisite fails the test (exit 1) saying what to install;
# locally the test is skipped (exit 77, SKIP_RETURN_CODE in tests/CMakeLists.txt) and
# says why. The C++ tests follow the same rule (tests/prerequisites.h).
#   shared_dir             ../shared (beside the project: run from the source folder),
#                          or $RACINE_SHARED_DIR when set
#   missing WHAT           "CI=true and WHAT" and exit 1, or "skipped: WHAT" and exit 77
#   partial WHAT STILL     a test that still checks part without WHAT: under CI as
#                          missing, else "note: WHAT: STILL" and the test goes on
#   need_node              node (Debian's nodejs), else missing
#   need_ajv SRC           node and ajv-cli in SRC/.cache/ajv; sets $ajv to it
#   need_office            LibreOffice and node (the workbook tests), else missing
#   scratch                a temporary folder in $work, removed when the test ends

shared_dir() {
  if [ -n "${RACINE_SHARED_DIR:-}" ]; then
    echo "$RACINE_SHARED_DIR"
  else
    echo "../shared"
  fi
}

missing() {
  if [ "${CI:-}" = true ]; then
    echo "error: CI=true and $1" >&2
    exit 1
  fi
  echo "skipped: $1"
  exit 77
}

partial() {
  if [ "${CI:-}" = true ]; then
    echo "error: CI=true and $1" >&2
    exit 1
  fi
  echo "note: $1: $2"
}

need_node() {
  command -v node >/dev/null 2>&1 || missing "node is absent: run make deps-test (nodejs)"
}

need_ajv() {
  need_node
  ajv="$1/.cache/ajv/node_modules/.bin/ajv"
  [ -x "$ajv" ] || missing "ajv-cli is absent from .cache/ajv: run make deps-test"
}

need_office() {
  command -v libreoffice >/dev/null 2>&1 ||
    missing "LibreOffice is absent: run make deps-test (libreoffice-calc-nogui)"
  need_node
}

scratch() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}
