package com.su7.messaging.inbox;

import org.apache.avro.AvroRuntimeException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

import java.io.EOFException;
import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTests {

    @Test
    void anUnreachableDatabaseOrRegistryIsWorthWaitingFor() {
        assertThat(Failures.isTransient(new CannotGetJdbcConnectionException("pool", new SQLException("refused", "08001")))).isTrue();
        assertThat(Failures.isTransient(new TransactionSystemException("JDBC rollback failed"))).isTrue();
        assertThat(Failures.isTransient(new RuntimeException("schema lookup", new ConnectException("refused")))).isTrue();
        assertThat(Failures.isTransient(new SQLException("serialization failure", "40001"))).isTrue();
    }

    @Test
    void aBrokenEventIsNeverRetried() {
        assertThat(Failures.isTransient(new PermanentEventException("bad colour", new ConnectException("irrelevant")))).isFalse();
        assertThat(Failures.isTransient(new RuntimeException("truncated", new EOFException()))).isFalse();
        assertThat(Failures.isTransient(new AvroRuntimeException("malformed"))).isFalse();
        assertThat(Failures.isTransient(new DataIntegrityViolationException("duplicate key"))).isFalse();
    }
}
