#!/usr/bin/env bash
# The local stack's one command: builds what is missing, then runs io.domainlink.deploy.LocalStack
# (broker, registry, Wix sandbox, topics, the three services, the demo). Options: deploy/local-stack.sh --help
#   deploy/local-stack.sh                      # start everything, run the demo, print the summary, stop
#   deploy/local-stack.sh --keep-running       # ... and keep the stack up until Ctrl-C
#   deploy/local-stack.sh submit --file my-request.json     # against a running stack
#   deploy/local-stack.sh tail-outcomes
set -euo pipefail
deploy="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$deploy")"
classpath_file="$deploy/target/local-stack.classpath"

needs_build() {
  [[ -f $classpath_file && -d $deploy/target/classes && -f $root/registry-server/target/registry-server-runner.jar ]] || return 0
  # a source, resource or POM changed since the last build
  [[ -n $(find "$root" \( -name target -o -name data -o -name .git -o -name node_modules \) -prune -o \
          -type f \( -path '*/src/main/*' -o -name pom.xml -o -path "$deploy/demo/*" \) -newer "$classpath_file" -print -quit) ]]
}

if [[ ${1:-} != submit && ${1:-} != tail-outcomes ]] && needs_build; then
  echo "Building the pipeline (mvn -pl deploy -am package; about a minute the first time) ..."
  build_log=$(mktemp)
  if ! (cd "$root" && mvn -B -q -T 2 -pl deploy -am package -Dmaven.test.skip=true) >"$build_log" 2>&1; then
    cat "$build_log"; rm -f "$build_log"
    echo "The build failed (above)." >&2
    exit 2
  fi
  rm -f "$build_log"
fi
if [[ ! -f $classpath_file ]]; then
  echo "Not built yet: run deploy/local-stack.sh once without a subcommand (or mvn -pl deploy -am package)." >&2
  exit 2
fi

# exec: Ctrl-C reaches the JVM, whose shutdown hook stops everything in reverse order
exec java -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
  -cp "$deploy/target/classes:$(cat "$classpath_file")" io.domainlink.deploy.LocalStack "$@"
