#!/usr/bin/env bash
# Prints an access token for one of the local stack's HTTP clients (OAuth2 client credentials), for curl:
#   curl -H "Authorization: Bearer $(scripts/token.sh ops)" http://127.0.0.1:8082/api/production/summary
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/token.sh [CLIENT | --client ID:SECRET] [--token-uri URL]

  CLIENT                 ops or app: the secret ./run.sh's local stack wrote to .local-stack/credentials/CLIENT
  --client ID:SECRET     any client of the authorization server
  --token-uri URL        the token endpoint (default: $OAUTH2_TOKEN_URI or http://127.0.0.1:9000/oauth2/token)

Tokens last minutes (10 by default); ask for a new one when it expires (401 with error="invalid_token").
USAGE
}

token_uri=${OAUTH2_TOKEN_URI:-http://127.0.0.1:9000/oauth2/token}
client=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --client) client=$2; shift 2 ;;
        --token-uri) token_uri=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
        *) secret_file="$(cd "$(dirname "$0")/.." && pwd)/.local-stack/credentials/$1"
           [[ -r $secret_file ]] || { echo "no secret for client $1 in $secret_file: is ./run.sh running?" >&2; exit 2; }
           client="$1:$(cat "$secret_file")"; shift ;;
    esac
done
[[ -n $client ]] || { usage >&2; exit 2; }

# The credentials reach curl on its standard input (a config), not its command line, where ps would show them.
answer=$(curl -sS --config - -d grant_type=client_credentials "$token_uri" <<< "user = \"$client\"")
token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<< "$answer")
[[ -n $token ]] || { echo "the authorization server refused a token: $answer" >&2; exit 1; }
echo "$token"
