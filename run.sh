#!/usr/bin/env bash
# Runs the whole system on this machine: Kafka, the schema registry and PostgreSQL (the local stack, no Docker),
# then the three services on their default ports, then the launch simulation. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
    cat <<'TEXT'
Usage: ./run.sh [options] [-- simulation options]
  --no-simulation    start the stack and the services, but no launch simulation
  --stack-only       start Kafka, the registry and PostgreSQL only, not the services
  --day-length D     length of a factory day, ISO-8601 (default PT1S: a launch's months pass in minutes)
  --data-dir DIR     keep topics, schemas and tables in DIR across runs (PostgreSQL then runs durable)
  --no-tracing       no Zipkin (the services then export no spans; trace ids are still in their logs)
  --skip-build       do not build first (use what target/ already holds)
  --help             this text
Options after -- go to the launch simulation (e.g. -- --preorders 5000 --days 10); see -- --help.
Ports: Kafka 9092, schema registry 8085, PostgreSQL 5433, authorization server 9000, Zipkin 9411 (traces:
http://127.0.0.1:9411/zipkin/), orders 8081, production 8082, delivery 8083, the ops console 8080
(http://127.0.0.1:8080: log in as ops, the password in .local-stack/credentials/console-user).
Logs and the stack's credentials (stack.env) go to .local-stack/; the HTTP clients' generated secrets
to .local-stack/credentials/ops and .../app; scripts/token.sh ops prints an access token for curl:
  curl -H "Authorization: Bearer $(scripts/token.sh ops)" http://127.0.0.1:8082/api/production/summary
TEXT
}

stack_only=false
skip_build=false
simulation=true
day_length=PT1S
stack_args=()
simulation_args=()
while (( $# > 0 )); do
    case "$1" in
        --stack-only) stack_only=true; simulation=false ;;
        --no-simulation) simulation=false ;;
        --day-length) [[ $# -ge 2 ]] || { echo "--day-length needs a duration" >&2; exit 2; }
                      day_length="$2"; shift ;;
        --) shift; simulation_args=("$@"); break ;;
        --skip-build) skip_build=true ;;
        --no-tracing) stack_args+=(--no-tracing) ;;
        --data-dir) [[ $# -ge 2 ]] || { echo "--data-dir needs a directory" >&2; exit 2; }
                    stack_args+=(--data-dir "$(realpath -m "$2")"); shift ;;
        --help|-h) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

source scripts/select-jdk.sh

state=.local-stack
mkdir -p "$state/logs"
if [[ "$skip_build" == false ]]; then
    echo "Building (./mvnw -q -DskipTests package) ..."
    ./mvnw -q -DskipTests package
fi

pids=()
stop_all() {
    trap - INT TERM EXIT
    echo
    echo "Stopping ..."
    # The simulation and the services first, all at once (they flush to Kafka and PostgreSQL), the simulation
    # before the services it reads; then the stack.
    for (( i = ${#pids[@]} - 1; i > 0; i-- )); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
    for pid in "${pids[@]:1}"; do wait "$pid" 2>/dev/null || true; done
    if (( ${#pids[@]} > 0 )); then
        kill -TERM "${pids[0]}" 2>/dev/null || true
        wait "${pids[0]}" 2>/dev/null || true
    fi
    echo "Stopped."
}
trap stop_all EXIT
# Ctrl-C or SIGTERM ends the script once everything is stopped: the interrupted step (the simulation, the last
# wait) must not go on to report as if it had ended by itself.
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

rm -f "$state/stack.env"
"$JAVA_HOME/bin/java" -cp "$(cat local-stack/target/classpath.txt):local-stack/target/classes" \
    com.su7.localstack.LocalStackCommand --env-file "$state/stack.env" --credentials-dir "$state/credentials" \
    "${stack_args[@]}" \
    > >(tee "$state/logs/local-stack.log") 2>&1 &
pids+=($!)

until [[ -s "$state/stack.env" ]]; do
    kill -0 "${pids[0]}" 2>/dev/null || { echo "The local stack failed to start; see $state/logs/local-stack.log" >&2; exit 1; }
    sleep 0.5
done

if [[ "$stack_only" == false ]]; then
    set -a; source "$state/stack.env"; set +a
    # One factory calendar for all three services (and the simulation): same day 0, same day length. Day 0
    # (launch day) begins about when the services are ready, so the simulated launch meets the plant's ramp.
    export SU7_CALENDAR_FIRSTDAYSTARTSAT="$(date -u -d '+60 seconds' +%Y-%m-%dT%H:%M:%SZ)"
    export SU7_CALENDAR_DAYLENGTH="$day_length"
    # orders-service re-estimates at most this often: keep it below a short demo day.
    export ORDERS_ETA_REFRESH_INTERVAL="${ORDERS_ETA_REFRESH_INTERVAL:-500ms}"
    for service in orders:8081 production:8082 delivery:8083; do
        name=${service%%:*}
        # Extracted and with an AOT cache of this JDK, made by a training run on the first start after a build.
        scripts/run-service.sh "$name-service/target/$name-service-0.1.0-SNAPSHOT.jar" \
            > "$state/logs/$name-service.log" 2>&1 &
        pids+=($!)
    done
    for service in orders:8081 production:8082 delivery:8083; do
        name=${service%%:*} port=${service##*:}
        printf 'Waiting for %s-service on port %s ' "$name" "$port"
        until curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1; do
            for pid in "${pids[@]}"; do
                kill -0 "$pid" 2>/dev/null || { echo; echo "A process died during start-up; see $state/logs/" >&2; exit 1; }
            done
            printf '.'; sleep 1
        done
        echo " ready: http://127.0.0.1:$port (health: /actuator/health, metrics: /actuator/prometheus)"
    done
    # The ops console, once the services it shows are up; it logs ops in through the authorization server.
    scripts/run-service.sh ops-console/target/ops-console-0.1.0-SNAPSHOT.jar > "$state/logs/ops-console.log" 2>&1 &
    pids+=($!)
    printf 'Waiting for the ops console on port 8080 '
    until curl -fs "http://127.0.0.1:8080/actuator/health/readiness" >/dev/null 2>&1; do
        kill -0 "${pids[-1]}" 2>/dev/null || { echo; echo "The ops console died during start-up; see $state/logs/ops-console.log" >&2; exit 1; }
        printf '.'; sleep 1
    done
    echo " ready: http://127.0.0.1:8080 (log in as $(cut -d' ' -f1 "$state/credentials/console-user"), password in $state/credentials/console-user)"
    echo "HTTP clients 'ops' (role OPS) and 'app' (role APP) get access tokens from $OAUTH2_TOKEN_URI, e.g."
    echo "  curl -H \"Authorization: Bearer \$(scripts/token.sh ops)\" http://127.0.0.1:8082/api/production/summary"
fi

if [[ "$simulation" == true ]]; then
    echo "Running the launch simulation (report and chart in $state/simulation/) ..."
    # In the background and waited for, so that Ctrl-C or SIGTERM stops it with the rest at once.
    "$JAVA_HOME/bin/java" -cp "$(cat launch-simulation/target/classpath.txt):launch-simulation/target/classes" \
        com.su7.simulation.LaunchSimulation --day-length "$day_length" \
        --first-day-starts-at "$SU7_CALENDAR_FIRSTDAYSTARTSAT" --report-dir "$state/simulation" \
        "${simulation_args[@]}" &
    pids+=($!)
    wait "${pids[-1]}" || echo "The simulation did not complete; see above." >&2
fi

echo "Everything is up. Logs: $state/logs/. Press Ctrl-C to stop."
wait "${pids[0]}"
