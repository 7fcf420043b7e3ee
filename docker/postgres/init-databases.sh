#!/usr/bin/env bash
# One database and one role per service (and one for the registry); each role can reach only its own database.
# No password in this script's SQL or on a command line: psql takes each from the environment itself (\getenv,
# PostgreSQL 15+) and quotes it as a literal (:'password'); names go in as quoted identifiers (:"name").
set -euo pipefail
create() {  # name, variable holding its password
    [[ -n ${!2:-} ]] || { echo "$2 is not set (scripts/compose-env.sh writes an .env)" >&2; return 1; }
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v name="$1" -v password_variable="$2" <<'SQL'
\getenv password :password_variable
-- A failing statement is logged with its text, which here holds a password: log none of them.
SET log_statement = 'none';
SET log_min_error_statement = 'panic';
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE CONNECT, TEMPORARY ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"name" TO :"name";
SQL
}
create orders ORDERS_DB_PASSWORD
create production PRODUCTION_DB_PASSWORD
create delivery DELIVERY_DB_PASSWORD
create registry REGISTRY_DB_PASSWORD
