package com.su7.localstack;

/** One server of the stack. */
interface LocalServer extends AutoCloseable {

    /** Stops gracefully, so kept data stays consistent. */
    @Override
    void close();

    /** Stops without waiting: enough when the data is thrown away. */
    default void kill() {
        close();
    }
}
