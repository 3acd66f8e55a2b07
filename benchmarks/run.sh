#!/usr/bin/env bash
# The benchmarks' one command (issue 9): builds what is missing, then runs io.domainlink.bench.BenchmarkMain, which
# prints a table. Options: benchmarks/run.sh --help
#   benchmarks/run.sh                          # everything (~25 min on 2 cores): items 1-5
#   benchmarks/run.sh --only pipeline          # items 1+2 (--requests N, default 20000)
#   benchmarks/run.sh --quick                  # small sizes, a few minutes: a smoke run
# BENCH_JFR=1 also writes a Java Flight Recording of the harness JVM to benchmarks/target/bench.jfr.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench")"
classpath_file="$bench/target/bench.classpath"
# item 4 runs propagation-watcher's own benchmark main, which lives in its test sources: compiled on its own here
watcher_src="$root/propagation-watcher/src/test/java/io/domainlink/watcher/WatcherScaleBenchmark.java"
watcher_bench="$bench/target/watcher-bench"
watcher_class=io/domainlink/watcher/WatcherScaleBenchmark

needs_build() {
  [[ -f $classpath_file && -d $bench/target/classes && -f $watcher_bench/$watcher_class.class \
     && -f $root/registry-server/target/registry-server-runner.jar ]] || return 0
  # a source, resource or POM changed since the last build
  [[ -n $(find "$root" \( -name target -o -name data -o -name .git -o -name node_modules \) -prune -o \
          -type f \( -path '*/src/main/*' -o -path "$watcher_src" -o -name pom.xml \) \
          -newer "$classpath_file" -print -quit) ]]
}

if [[ ${1:-} != --help && ${1:-} != -h ]] && needs_build; then
  echo "Building (mvn -pl benchmarks -am package: the services, deploy's wiring; about a minute the first time) ..."
  build_log=$(mktemp)
  if ! { (cd "$root" && mvn -B -q -T 2 -pl benchmarks -am package -Dmaven.test.skip=true) \
         && mkdir -p "$watcher_bench" \
         && javac -nowarn -d "$watcher_bench" -cp "$(cat "$classpath_file")" "$watcher_src"; } >"$build_log" 2>&1; then
    cat "$build_log"; rm -f "$build_log"
    echo "The build failed (above)." >&2
    exit 2
  fi
  rm -f "$build_log"
fi

jfr=()
if [[ ${BENCH_JFR:-} == 1 ]]; then
  jfr=(-XX:StartFlightRecording=filename="$bench/target/bench.jfr",settings=profile,dumponexit=true)
fi
cd "$root"
mkdir -p benchmarks/target/bench-data/logs
exec java -Xmx3g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError "${jfr[@]}" \
  -Dlog4j2.configurationFile=bench-log4j2.properties -Ddomainlink.logDir="$root/benchmarks/target/bench-data/logs" \
  -cp "$bench/target/classes:$(cat "$classpath_file")" io.domainlink.bench.BenchmarkMain \
  --watcher-bench-classes "$watcher_bench" "$@"
