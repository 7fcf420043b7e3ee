#!/usr/bin/env bash
# Writes a fresh .env for docker-compose: a random value (openssl rand -hex 16) for every secret docker-compose.yml
# requires (each ${VAR:?...} in it), readable by its owner only. It never overwrites an .env: PostgreSQL and Kafka keep
# the passwords of their first start in their volumes, so new secrets go with new volumes (docker compose down -v).
#   scripts/compose-env.sh [FILE]     (default: .env beside docker-compose.yml)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
env_file=${1:-$root/.env}

mapfile -t variables < <(grep -o '\${[A-Z0-9_]*:?' "$root/docker-compose.yml" | sed 's/^\${//; s/:?$//' | sort -u)
(( ${#variables[@]} > 0 )) || { echo "docker-compose.yml requires no secret: nothing to write" >&2; exit 1; }

umask 077
set -o noclobber  # the file is created, never truncated: an existing one stays as it is
if ! exec 3> "$env_file"; then
    echo "$env_file exists: keep it, or delete it together with the volumes (docker compose down -v)" >&2
    exit 1
fi
echo "# docker-compose's secrets, written by scripts/compose-env.sh $(date -u +%Y-%m-%dT%H:%M:%SZ); never commit it" >&3
for variable in "${variables[@]}"; do
    echo "$variable=$(openssl rand -hex 16)" >&3
done
exec 3>&-
echo "wrote ${#variables[@]} secrets to $env_file (mode 600); the ops console's, Kafka UI's and Grafana's logins: ops / CONSOLE_OPS_PASSWORD, ops / KAFKA_UI_PASSWORD, ops / GRAFANA_ADMIN_PASSWORD"
