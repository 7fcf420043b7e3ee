#!/usr/bin/env bash
# Rebuilds orders-service's ETA projection from the topics while the service keeps serving, and waits for the
# outcome: replay into fresh tables, compare with the live ones, switch (see README, "Rebuilding a projection").
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/rebuild-projection.sh [--url URL] [--user USER:PASSWORD] [--no-wait]

  --url URL              orders-service's base URL (default: $ORDERS_URL or http://127.0.0.1:8081)
  --user USER:PASSWORD   credentials of an ops caller, passed to curl -u (when the service asks for them)
  --no-wait              start the rebuild and print where to follow it, without waiting

Exits 0 when the rebuild completed, 1 when it failed or could not start (409: one is running already).
USAGE
}

url=${ORDERS_URL:-http://127.0.0.1:8081}
auth=()
wait=true
while [[ $# -gt 0 ]]; do
    case $1 in
        --url) url=$2; shift 2 ;;
        --user) auth=(-u "$2"); shift 2 ;;
        --no-wait) wait=false; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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
    curl -sS "${auth[@]}" -o "$work/status" "$url$location"
    phase=$(field phase)
    printf '\r%-10s %s of %s records replayed' "$phase" "$(field recordsReplayed)" "$(field recordsToReplay)"
    case $phase in
        COMPLETED|FAILED) echo; cat "$work/status"; echo; break ;;
    esac
    sleep 2
done
[[ $phase == COMPLETED ]]
