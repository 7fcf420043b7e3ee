package com.su7.orders.eta;

import com.su7.contract.PreorderId;

/** A preorder's place in the projection: its status, its car and its current ETA. */
public record EtaState(PreorderId preorderId, ProjectionStatus status, String vin, String deliveryCenter, Eta eta) {
}
