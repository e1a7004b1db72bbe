# Sourced by the shell tests: what a test needs from outside the project. Under CI
# (CI=true) a missing prerequisite fails the test (exit 1) saying what to install;
# locally the test is skipped (exit 77, SKIP_RETURN_CODE in tests/CMakeLists.txt) and
# says why. The C++ tests follow the same rule (tests/prerequisites.h).
#   shared_dir             ../shared (beside the project: run from the source folder),
#                          or $RACINE_SHARED_DIR when set
#   missing WHAT           "CI=true and WHAT" and exit 1, or "skipped: WHAT" and exit 77
#   partial WHAT STILL     a test that still checks part without WHAT: under CI as
#                          missing, else "note: WHAT: STILL" and the test goes on

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
