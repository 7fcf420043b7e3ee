#!/usr/bin/env bash
# One-shot set-up of the compose broker, as its admin: the SCRAM-SHA-512 users and the ACLs listed in acls.generated,
# which is generated from the local stack's catalog (com.su7.localstack.KafkaPrincipal), so both grant the same.
# Idempotent: safe to run on every `docker compose up`. No secret on a command line (where ps shows it): the admin's
# login and each user's credential go to tools through owner-only files, removed on exit.
set -euo pipefail
umask 077
acls=$(dirname "$0")/acls.generated
bin=${KAFKA_HOME:-/opt/kafka}/bin
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:-kafka:29092}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The value of the variable named $1. Refused unless it is safe inside a JAAS string and a SCRAM config.
secret() {
    local value=${!1:-}
    [[ -n $value ]] || { echo "$1 is not set (scripts/compose-env.sh writes a .env with every secret)" >&2; return 1; }
    [[ $value =~ ^[A-Za-z0-9._~-]+$ ]] || { echo "$1 may hold only letters, digits and ._~- (openssl rand -hex 16)" >&2; return 1; }
    printf '%s' "$value"
}

admin_password=$(secret KAFKA_ADMIN_PASSWORD)
cat > "$work/admin.properties" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$admin_password";
PROPERTIES

user() {  # name, variable holding its password
    local password
    password=$(secret "$2")
    printf 'SCRAM-SHA-512=iterations=8192,password=%s\n' "$password" > "$work/credential.properties"
    "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$work/admin.properties" --alter \
        --entity-type users --entity-name "$1" --add-config-file "$work/credential.properties"
    rm -f "$work/credential.properties"
}

declare -A operations=()  # "principal type name pattern" -> its operations
while read -r kind rest <&3; do
    case $kind in
        user) read -r name variable <<< "$rest"; user "$name" "$variable" ;;
        allow) read -r principal operation type name pattern <<< "$rest"
               operations["$principal $type $name $pattern"]+=" $operation" ;;
        '#'*|'') ;;
        *) echo "$acls: a line starts with '$kind', neither user nor allow" >&2; exit 1 ;;
    esac
done 3< "$acls"

# One kafka-acls.sh (a JVM start each) per principal, resource type, pattern and set of operations, for all the
# resources that share them.
declare -A grants=()  # "principal type pattern operations..." -> resource names
for resource in "${!operations[@]}"; do
    read -r principal type name pattern <<< "$resource"
    grants["$principal $type $pattern${operations[$resource]}"]+=" $name"
done
for grant in "${!grants[@]}"; do
    read -r -a fields <<< "$grant"
    principal=${fields[0]} type=${fields[1]} pattern=${fields[2]} granted=("${fields[@]:3}")
    read -r -a names <<< "${grants[$grant]}"
    arguments=(--allow-principal "User:$principal" --resource-pattern-type "$pattern")
    for operation in "${granted[@]}"; do arguments+=(--operation "$operation"); done
    case $type in
        Topic) for name in "${names[@]}"; do arguments+=(--topic "$name"); done ;;
        Group) for name in "${names[@]}"; do arguments+=(--group "$name"); done ;;
        Cluster) arguments+=(--cluster) ;;
        *) echo "$acls: unknown resource type $type" >&2; exit 1 ;;
    esac
    "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$work/admin.properties" --add "${arguments[@]}" > /dev/null
    echo "allowed $principal ${granted[*]} on $type ${names[*]}"
done
echo "Kafka users and ACLs are in place."
