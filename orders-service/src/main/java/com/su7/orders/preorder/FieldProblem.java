package com.su7.orders.preorder;

/** What is wrong with one field of a request. */
record FieldProblem(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
