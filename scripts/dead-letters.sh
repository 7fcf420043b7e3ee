#!/usr/bin/env bash
# Lists, redrives (dry run first) and shows the redrive history of one service's dead letters, through the
# service's dead-letter API (role OPS; see README, "Dead letters").
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/dead-letters.sh SERVICE COMMAND [FILTER...] [--client ID:SECRET] [--token-uri URL] [--url URL]

  SERVICE                orders, production or delivery (base URL http://127.0.0.1:8081, 8082 or 8083; $ORDERS_URL,
                         $PRODUCTION_URL, $DELIVERY_URL or --url override it)
  COMMAND                list             the dead letters the filter matches, newest first, payloads decoded
                         show ID          one dead letter
                         redrive          say what a redrive of the filter would do (a dry run: nothing applied)
                         redrive --apply  redrive it: apply again, key by key in order, through the same inbox
                         history          the redrives done so far (who, when, filter, outcome)
  FILTER                 --topic T  --consumer C  --preorder-id ID  --exception TEXT  --from ISO-TIME  --to ISO-TIME
                         --state OPEN|WAITING|PARKED|RESOLVED (list only)  --limit N (list, history; default 100)
  --client ID:SECRET     an ops client (default: ops and the secret ./run.sh's local stack wrote)
  --token-uri URL        the token endpoint (default: $OAUTH2_TOKEN_URI or http://127.0.0.1:9000/oauth2/token)

Prints the service's JSON answer. Exits 1 when the service refuses (the answer says why).
USAGE
}

[[ $# -ge 2 ]] || { usage >&2; exit 2; }
case $1 in
    orders) url=${ORDERS_URL:-http://127.0.0.1:8081} ;;
    production) url=${PRODUCTION_URL:-http://127.0.0.1:8082} ;;
    delivery) url=${DELIVERY_URL:-http://127.0.0.1:8083} ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown service: $1" >&2; usage >&2; exit 2 ;;
esac
command=$2
shift 2
id=""
if [[ $command == show ]]; then
    [[ $# -ge 1 ]] || { echo "show needs a dead letter id" >&2; exit 2; }
    id=$1; shift
fi

token_uri=${OAUTH2_TOKEN_URI:-http://127.0.0.1:9000/oauth2/token}
who=(ops)
apply=false
query=()
json=()
add() { query+=("--data-urlencode" "$1=$2"); json+=("\"$1\":\"$2\""); }
while [[ $# -gt 0 ]]; do
    case $1 in
        --topic) add topic "$2"; shift 2 ;;
        --consumer) add consumer "$2"; shift 2 ;;
        --preorder-id) add preorderId "$2"; shift 2 ;;
        --exception) add exception "$2"; shift 2 ;;
        --from) add from "$2"; shift 2 ;;
        --to) add to "$2"; shift 2 ;;
        --state) query+=("--data-urlencode" "state=$2"); shift 2 ;;
        --limit) query+=("--data-urlencode" "limit=$2"); shift 2 ;;
        --apply) apply=true; shift ;;
        --client) who=(--client "$2"); shift 2 ;;
        --token-uri) token_uri=$2; shift 2 ;;
        --url) url=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

token=$("$(dirname "$0")/token.sh" "${who[@]}" --token-uri "$token_uri")
call() {
    local answer code
    answer=$(curl -sS -H "Authorization: Bearer $token" -w '\n%{http_code}' "$@")
    code=${answer##*$'\n'}
    echo "${answer%$'\n'*}"
    [[ $code == 2* ]]
}

case $command in
    list) call -G "${query[@]}" "$url/api/dead-letters" ;;
    show) call "$url/api/dead-letters/$id" ;;
    history) call -G "${query[@]}" "$url/api/dead-letters/redrives" ;;
    redrive)
        body="{$(IFS=,; echo "${json[*]}")${json[*]:+,}\"dryRun\":$([[ $apply == true ]] && echo false || echo true)}"
        call -X POST -H 'Content-Type: application/json' -d "$body" "$url/api/dead-letters/redrives" ;;
    *) echo "unknown command: $command" >&2; usage >&2; exit 2 ;;
esac
