#!/usr/bin/env bash
# Rebuilds orders-service's ETA projection from the topics while the service keeps serving, and waits for the
# outcome: replay into fresh tables, compare with the live ones, switch (see README, "Rebuilding a projection").
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/rebuild-projection.sh [--url URL] [--client ID:SECRET] [--token-uri URL] [--no-wait]

  --url URL              orders-service's base URL (default: $ORDERS_URL or http://127.0.0.1:8081)
  --client ID:SECRET     an ops client of the authorization server (default: ops and the secret ./run.sh's
                         local stack wrote to .local-stack/credentials/ops, if it is there)
  --token-uri URL        the authorization server's token endpoint (default: $OAUTH2_TOKEN_URI or
                         http://127.0.0.1:9000/oauth2/token)
  --no-wait              start the rebuild and print where to follow it, without waiting

Exits 0 when the rebuild completed (switched to the rebuilt tables); 1 when it was refused (it skipped records the
live projection did not: they are in skippedRecords), failed (the registry or database away for longer than the
rebuild waits; "failure" says what), or could not start (409: one is running already). A rebuild that did not
complete left the live tables as they were: start it again once the cause is gone.
USAGE
}

url=${ORDERS_URL:-http://127.0.0.1:8081}
token_uri=${OAUTH2_TOKEN_URI:-http://127.0.0.1:9000/oauth2/token}
client=""
wait=true
while [[ $# -gt 0 ]]; do
    case $1 in
        --url) url=$2; shift 2 ;;
        --client) client=$2; shift 2 ;;
        --token-uri) token_uri=$2; shift 2 ;;
        --no-wait) wait=false; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [[ -n $client ]]; then
    who=(--client "$client")
else
    who=(ops)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A token per call: it lasts minutes, a rebuild may last longer, and the token endpoint answers in milliseconds.
bearer() {
    auth=(-H "Authorization: Bearer $("$(dirname "$0")/token.sh" "${who[@]}" --token-uri "$token_uri")")
}

bearer
code=$(curl -sS "${auth[@]}" -X POST -D "$work/headers" -o "$work/body" -w '%{http_code}' "$url/api/orders/ops/eta-projection/rebuilds")
if [[ $code != 202 ]]; then
    echo "the rebuild did not start (HTTP $code):" >&2
    cat "$work/body" >&2; echo >&2
    exit 1
fi
location=$(tr -d '\r' < "$work/headers" | sed -n 's/^[Ll]ocation: *//p')
echo "rebuild started: $url$location"
$wait || exit 0

field() { grep -o "\"$1\":[^,}]*" "$work/status" | head -1 | cut -d: -f2- | tr -d '"'; }
while true; do
    bearer
    curl -sS "${auth[@]}" -o "$work/status" "$url$location"
    phase=$(field phase)
    printf '\r%-10s %s of %s records replayed, %s skipped, %s failures waited out' "$phase" "$(field recordsReplayed)" \
        "$(field recordsToReplay)" "$(field recordsSkipped)" "$(field transientFailures)"
    case $phase in
        COMPLETED|REFUSED|FAILED) echo; cat "$work/status"; echo; break ;;
    esac
    sleep 2
done
[[ $phase == COMPLETED ]]
