#!/usr/bin/env bash
# The GitHub Action's entry point (action.yml runs it in the image of the Dockerfile):
#   racine-action FORMAT STRICT FILES
# runs `racine lint --format FORMAT [--strict] FILE...` in the repository's checkout
# (GitHub's working folder for container actions) and exits with racine's status:
# 0 clean, 1 findings (errors, or warnings with strict), 2 a file that cannot be read or
# a bad input. FILES is split on spaces and new lines; each word that is a glob pattern
# (*, ?, [...], ** across folders) is expanded, and one that matches nothing is an error.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "racine-action: usage: racine-action FORMAT STRICT FILES" >&2
  exit 2
fi
format=$1 strict=$2 files=$3
args=(lint --format "$format")
case "$strict" in
  true) args+=(--strict) ;;
  false | "") ;;
  *)
    echo "racine-action: strict must be true or false, not '$strict'" >&2
    exit 2
    ;;
esac
shopt -s globstar nullglob
set -f
read -r -d '' -a words <<<"$files" || true
set +f
if [ ${#words[@]} -eq 0 ]; then
  echo "racine-action: no file to check: set the action's files input" >&2
  exit 2
fi
for word in "${words[@]}"; do
  if [[ "$word" == *[*?[]* ]]; then
    matches=($word)
    if [ ${#matches[@]} -eq 0 ]; then
      echo "racine-action: no file matches '$word'" >&2
      exit 2
    fi
    args+=("${matches[@]}")
  else
    args+=("$word")
  fi
done
exec racine "${args[@]}"
