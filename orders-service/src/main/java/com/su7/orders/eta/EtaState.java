package com.su7.orders.eta;

import java.util.UUID;

/** A preorder's place in the projection: its status, its car and its current ETA. */
public record EtaState(UUID preorderId, ProjectionStatus status, String vin, String deliveryCenter, Eta eta) {
}
