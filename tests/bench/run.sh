#!/usr/bin/env bash
# ./build.sh bench: runs every tests/bench/*.bench.sh in turn and prints one table.
# Contract for a bench script: it gets the repo root as $1, runs on its own (root, namespaces
# named uniquely, cleaned up on exit), prints progress to stderr and, to stdout, table rows:
#   | area | what is measured | mapt | baseline (what) | ratio |
# where ratio = mapt / baseline measured in the same run (say which direction is better).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
rows=$(mktemp); trap 'rm -f "$rows"' EXIT
failed=0
for b in tests/bench/*.bench.sh; do
  [ -e "$b" ] || continue
  echo "== $(basename "$b")" >&2
  if ! bash "$b" "$root" >>"$rows"; then
    echo "| $(basename "$b" .bench.sh) | FAILED (see stderr) | | | |" >>"$rows"; failed=1
  fi
done
echo
echo "| area | measure | mapt | baseline | ratio |"
echo "|---|---|---|---|---|"
cat "$rows"
exit $failed
