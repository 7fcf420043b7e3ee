#!/usr/bin/env bash
# One database and one role per service (and one for the registry); each role can reach only its own database.
set -euo pipefail
create() {
    local name="$1" password="$2"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE ${name} LOGIN PASSWORD '${password}';
CREATE DATABASE ${name} OWNER ${name};
REVOKE CONNECT, TEMPORARY ON DATABASE ${name} FROM PUBLIC;
GRANT CONNECT ON DATABASE ${name} TO ${name};
SQL
}
create orders "$ORDERS_DB_PASSWORD"
create production "$PRODUCTION_DB_PASSWORD"
create delivery "$DELIVERY_DB_PASSWORD"
create registry "$REGISTRY_DB_PASSWORD"
