package com.su7.orders.eta;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** Whose preorders they are, for EtaChanged: the preorder feature knows (its table is its own). */
public interface PreorderCustomers {

    /** The customer id of each preorder, with one statement; a preorder not placed is absent. */
    Map<UUID, String> customerIdsOf(Collection<UUID> preorderIds);
}
