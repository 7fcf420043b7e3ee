#!/usr/bin/env bash
# One-shot set-up of the compose broker, as its admin: a SCRAM-SHA-512 user per service (and the app's backend)
# and their ACLs. The same matrix as the local stack's com.su7.localstack.KafkaPrincipal (keep the two alike):
# a service writes its topic and the dead letters of what it consumes, declares its topics (and keeps their
# settings), reads what it consumes and reads back its own topic, in consumer groups named after it. Idempotent: safe to run on every `docker compose up`.
set -euo pipefail
bootstrap=kafka:29092
admin=/tmp/admin.properties
cat > "$admin" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";
PROPERTIES
bin=/opt/kafka/bin

user() {
    "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$admin" --alter \
        --entity-type users --entity-name "$1" --add-config "SCRAM-SHA-512=[iterations=8192,password=$2]"
}
allow() {  # principal operation resource-options...
    local principal="$1" operation="$2"; shift 2
    "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$admin" --add \
        --allow-principal "User:$principal" --operation "$operation" "$@"
}
service() {  # name group-prefix "publishes" "declares" "consumes"
    local name="$1" group="$2" publishes="$3" declares="$4" consumes="$5" topic
    for topic in $publishes; do allow "$name" Write --topic "$topic"; allow "$name" Read --topic "$topic"; done
    for topic in $consumes; do
        allow "$name" Read --topic "$topic"
        allow "$name" Write --topic "$topic.DLT"
    done
    for topic in $publishes $declares; do
        for operation in Create Describe DescribeConfigs AlterConfigs; do
            allow "$name" "$operation" --topic "$topic"; allow "$name" "$operation" --topic "$topic.DLT"
        done
    done
    allow "$name" Read --group "$group" --resource-pattern-type prefixed
}

user orders "$ORDERS_KAFKA_PASSWORD"
user production "$PRODUCTION_KAFKA_PASSWORD"
user delivery "$DELIVERY_KAFKA_PASSWORD"
user app "$APP_KAFKA_PASSWORD"
service orders orders "orders.preorder-placed" "app.preorder-requests" \
    "production.unit-built delivery.delivery-scheduled app.preorder-requests"
service production production "production.unit-built" "" "orders.preorder-placed delivery.delivery-scheduled"
service delivery delivery "delivery.delivery-scheduled" "" "orders.preorder-placed production.unit-built"
allow app Write --topic app.preorder-requests
echo "Kafka users and ACLs are in place."
