#!/usr/bin/env bash
# No file git tracks holds a racine token ("rac_" and 64 hex digits): a server's output,
# a test log or a pasted example would give whoever reads the repository the access the
# token grants. Prints each file and line, exits 1 when any holds one.
# Usage: scripts/check-no-tokens.sh [REPO_DIR]   (default: this project)
set -euo pipefail
repo=${1:-$(dirname "$0")/..}
found=$(git -C "$repo" ls-files -z | (cd "$repo" && xargs -0 grep -HnIE 'rac_[0-9a-fA-F]{64}' -- 2>/dev/null) || true)
if [ -n "$found" ]; then
  printf '%s\n' "$found" | sed 's/\(rac_[0-9a-fA-F]\{8\}\)[0-9a-fA-F]\{56\}/\1.../'
  echo "check-no-tokens: a tracked file holds a racine token: remove it, and revoke the token"
  exit 1
fi
echo "check-no-tokens: no tracked file holds a racine token"
