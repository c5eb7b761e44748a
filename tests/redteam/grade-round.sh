#!/usr/bin/env bash
# Grades a red-team round: every wrong program in ROUND_DIR/<exercise>/<slug>.rs is put in
# place of exercises/src/<exercise>.rs in a scratch worktree (every other exercise holds its
# model answer, so a program that calls an earlier exercise compiles and runs), and the
# grader is run on that exercise alone. Prints one tab-separated line a program:
#   exercise  slug  verdict  failed-checks
# verdict is CAUGHT (some check failed), PASSED (the grader let a wrong program through:
# a hole), NOTDONE (the program still reaches a todo!()) or BROKEN (it does not compile).
# Usage: tests/redteam/grade-round.sh ROUND_DIR   (writes ROUND_DIR/verdicts.tsv and a .log
# beside each program: the grader's output, to judge whether its diagnosis is true)
set -uo pipefail
round=$(cd "${1:?usage: grade-round.sh ROUND_DIR}" && pwd)
out=$round/verdicts.tsv
repo=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$scratch/tree" >/dev/null 2>&1; rm -rf "$scratch"' EXIT
git -C "$repo" worktree add --quiet --detach "$scratch/tree" HEAD
tree=$scratch/tree
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target/redteam}
: > "$out"
for program in "$round"/*/*.rs; do
  exercise=$(basename "$(dirname "$program")")
  slug=$(basename "$program" .rs)
  # Every exercise answered by its model answer, then this one by the wrong program.
  for answer in "$tree"/solutions/src/*.rs; do
    case $(basename "$answer") in lib.rs|main.rs|cli.rs) ;; *) cp "$answer" "$tree/exercises/src/" ;; esac
  done
  cp "$program" "$tree/exercises/src/$exercise.rs"
  log=$scratch/log
  (cd "$tree" && timeout 300 cargo test -p exercises --test grade -- "$exercise") > "$log" 2>&1
  status=$?
  failed=$(sed -n 's/^test [a-z_0-9]*::\([a-z_0-9]*\) \.\.\. FAILED$/\1/p' "$log" | paste -sd, -)
  if grep -q "could not compile" "$log"; then verdict=BROKEN
  elif [ "$status" -eq 0 ]; then verdict=PASSED
  elif [ -z "$failed" ]; then verdict=NOTDONE
  else verdict=CAUGHT
  fi
  printf '%s\t%s\t%s\t%s\n' "$exercise" "$slug" "$verdict" "$failed" | tee -a "$out"
  cp "$log" "$round/$exercise/$slug.log"
done
awk -F'\t' '{ n++; c[$3]++ } END { printf "programs: %d  caught: %d  passed: %d  not done: %d  broken: %d  catch rate: %.1f%%\n", n, c["CAUGHT"], c["PASSED"], c["NOTDONE"], c["BROKEN"], n ? 100 * c["CAUGHT"] / (c["CAUGHT"] + c["PASSED"]) : 0 }' "$out"
