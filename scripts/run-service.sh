#!/usr/bin/env bash
# Runs a service's executable jar the way it starts fastest (ready in ~2.5 s instead of ~8-10 s on a busy 2-core
# machine), used by run.sh and the system tests:
#   - extracted (java -Djarmode=tools -jar app.jar extract): the classes on the JVM's class path instead of in jars
#     nested in the jar, where the JDK can neither read them quickly nor cache them;
#   - with an AOT cache of the JDK (JDK 25: JEP 483/514/515, classes loaded and linked, method profiles; JDK 21-24:
#     a CDS archive), made by a training run that starts the service up to its refreshed context
#     (-Dspring.context.exit=onRefresh: Flyway, the schema registration and the topic declarations run against the
#     stack the service is pointed at, no listener starts) and exits.
# Both are made on the first start after a build, next to the jar (target/fast-start/), once per JDK and set of JVM
# options: the same JDK with the same options makes and uses a cache. A cache that no longer fits (a rebuilt jar, an
# updated JDK) is made again; when the training fails the service starts without a cache, and a JVM that cannot use
# its cache warns and starts without it.
# The JVM settings of every service, measured under the pipeline benchmark's 100,000 preorders (README, JVM settings):
# SU7_SERVICE_JVM_OPTIONS replaces them; JVM options given after the jar come after them, so they win.
# Usage: JAVA_HOME=<jdk> scripts/run-service.sh JAR [JVM options...]   (the service's settings in the environment)
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: $0 JAR [JVM options...]" >&2; exit 2; }
jar="$(realpath "$1")"; shift
# The serial collector (two cores: no collector threads, no remembered sets); a bounded heap (a JVM left to itself may
# take a quarter of the machine's memory, and fills it with garbage before it collects its old generation); memory freed
# to malloc given back to the system every 5 s (glibc keeps it otherwise).
read -ra defaults <<< "${SU7_SERVICE_JVM_OPTIONS--XX:+UseSerialGC -Xmx224m -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError}"
set -- "${defaults[@]}" "$@"
java="${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}/bin/java"
name="$(basename "$jar" .jar)"
work="$(dirname "$jar")/fast-start"
extracted="$work/$name"
jdk="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release")"
key="$(printf '%s\n' "$jdk" "$@" | sha256sum | cut -c1-12)"
if (( ${jdk%%.*} >= 25 )); then
    cache="$work/$name-$key.aot" record=-XX:AOTCacheOutput use=-XX:AOTCache
else
    cache="$work/$name-$key.jsa" record=-XX:ArchiveClassesAtExit use=-XX:SharedArchiveFile
fi

mkdir -p "$work"
# One preparation at a time (instances of a service may start together); the lock is released when this shell
# execs the service.
exec 9>"$work/$name.lock"
flock 9
# The extracted jars keep the jar's modification time: a marker tells when they were extracted.
if [[ ! "$extracted/.extracted" -nt "$jar" ]]; then
    rm -rf "$extracted"
    "$java" -Djarmode=tools -jar "$jar" extract --destination "$extracted" >/dev/null
    touch "$extracted/.extracted"
fi
if [[ ! "$cache" -nt "$extracted/.extracted" ]]; then
    echo "$name: training run for its AOT cache (once per build, JDK and JVM options) ..."
    rm -f "$cache" "$cache.tmp"
    if "$java" "$@" "$record=$cache.tmp" -Dspring.context.exit=onRefresh -jar "$extracted/$name.jar" \
            > "$work/$name-$key.training.log" 2>&1 && [[ -s "$cache.tmp" ]]; then
        mv "$cache.tmp" "$cache"
    else
        rm -f "$cache.tmp"
        echo "$name: the training run failed (see $work/$name-$key.training.log); starting without an AOT cache" >&2
    fi
fi
flock -u 9
exec 9>&-

if [[ -f "$cache" ]]; then
    exec "$java" "$use=$cache" "$@" -jar "$extracted/$name.jar"
fi
exec "$java" "$@" -jar "$extracted/$name.jar"
