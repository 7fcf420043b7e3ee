package com.su7.orders.preorder;

/** How a preorder reached us: both take the same path through {@link PreorderService}. */
enum EntryPoint {
    REST, APP_EVENT
}
