package com.su7.orders.preorder;

class PreorderNotFoundException extends RuntimeException {

    PreorderNotFoundException(String id) {
        super("no preorder %s".formatted(id));
    }
}
