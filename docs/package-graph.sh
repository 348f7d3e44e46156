#!/usr/bin/env bash
# Draws the market's package graph from its compiled classes and writes it into
# docs/architecture.md, between the package-graph markers, as a Mermaid graph.
#
#   docs/package-graph.sh            compile the market (offline), then rewrite the graph in the doc
#   docs/package-graph.sh --print    print the graph block only; compiles nothing, writes nothing
#
# A node is one of the market's top-level concept packages (org.xenomarket.market.<concept>, its
# sub-packages folded in); an edge A --> B says some class of A uses some class of B. Only edges
# between two market concepts are drawn. jdeps reads the classes in market/target/classes
# (override with CLASSES=...; the jdeps used is $JDEPS, else $JAVA_HOME/bin/jdeps, else the PATH's).
# PackageGraphTest (market tests) fails when the committed graph differs from --print's.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
doc="$root/docs/architecture.md"
classes="${CLASSES:-$root/market/target/classes}"
begin='<!-- package-graph:begin -->'
end='<!-- package-graph:end -->'

jdeps="${JDEPS:-}"
if [[ -z "$jdeps" ]]; then
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/jdeps" ]]; then jdeps="$JAVA_HOME/bin/jdeps"; else jdeps=jdeps; fi
fi

mode=write
case "${1:-}" in
  --print) mode=print ;;
  "") ;;
  *) echo "usage: $0 [--print]" >&2; exit 2 ;;
esac

if [[ "$mode" == write ]]; then
  (cd "$root" && ./mvnw -o -B -q -pl market -am compile)
fi
if [[ ! -d "$classes/org/xenomarket/market" ]]; then
  echo "no compiled market classes in $classes: run ./mvnw -pl market -am compile first" >&2
  exit 1
fi

# The block between the markers: the same bytes for the same classes (sorted, no timestamps).
block() {
  local edges
  edges="$("$jdeps" -verbose:package -e 'org\.xenomarket\.market\..*' "$classes" \
    | awk '$2 == "->" && $1 ~ /^org\.xenomarket\.market\./ && $3 ~ /^org\.xenomarket\.market\./ {
             split($1, from, "."); split($3, to, ".");
             if (from[4] != to[4]) print from[4] " " to[4];
           }' \
    | LC_ALL=C sort -u)"
  echo '```mermaid'
  echo 'graph LR'
  awk '{ print "  " $1 " --> " $2 }' <<< "$edges"
  # Pairs of concepts that use each other: the package cycles a reader should know about.
  awk '{ seen[$1 " " $2] = 1 } END { for (e in seen) { split(e, p, " ");
         if (p[1] < p[2] && ((p[2] " " p[1]) in seen)) print "  %% both ways: " p[1] " <-> " p[2] } }' <<< "$edges" \
    | LC_ALL=C sort
  echo '```'
}

if [[ "$mode" == print ]]; then
  block
  exit 0
fi

graph="$(block)"
if ! grep -qF "$begin" "$doc" || ! grep -qF "$end" "$doc"; then
  echo "$doc lacks the markers $begin and $end" >&2
  exit 1
fi
tmp="$(mktemp)"
awk -v begin="$begin" -v end="$end" -v graph="$graph" '
  $0 == begin { print; print graph; skipping = 1; next }
  $0 == end   { skipping = 0 }
  !skipping   { print }
' "$doc" > "$tmp"
mv "$tmp" "$doc"
echo "package graph written to $doc ($(grep -c -- '-->' <<< "$graph") edges)"
