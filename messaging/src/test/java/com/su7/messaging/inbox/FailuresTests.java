package com.su7.messaging.inbox;

import com.microsoft.kiota.ApiException;
import org.apache.avro.AvroRuntimeException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;

import java.io.EOFException;
import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTests {

    @Test
    void onlyTheEventSayingSoIsItsFault() {
        assertThat(Failures.isEventsFault(new PermanentEventException("bad colour"))).isTrue();
        assertThat(Failures.isEventsFault(new IllegalStateException("wrapped", new PermanentEventException("bad colour")))).isTrue();
    }

    @Test
    void whatTheDatabaseOrABugThrowsIsNeverTheEventsFault() {
        // the review's case: a read-only database (SQLSTATE 25006) once dead-lettered everything
        assertThat(Failures.isEventsFault(new UncategorizedSQLException("insert", "insert into processed_event",
                new SQLException("cannot execute INSERT in a read-only transaction", "25006")))).isFalse();
        assertThat(Failures.isEventsFault(new SQLException("could not extend file: No space left on device", "53100"))).isFalse();
        assertThat(Failures.isEventsFault(new DataIntegrityViolationException("duplicate key"))).isFalse();
        assertThat(Failures.isEventsFault(new NullPointerException())).isFalse();
        assertThat(Failures.isEventsFault(new IllegalStateException("a bug in a handler"))).isFalse();
    }

    @Test
    void whileDecodingTheRegistryAwayIsNotTheBytesFaultButAnUnknownSchemaIs() {
        assertThat(Failures.isRegistryUnavailable(new RuntimeException("schema lookup", new ConnectException("refused")))).isTrue();
        assertThat(Failures.isRegistryUnavailable(apiError(503))).isTrue();
        assertThat(Failures.isRegistryUnavailable(apiError(404))).isFalse();
        assertThat(Failures.isRegistryUnavailable(new RuntimeException("truncated", new EOFException()))).isFalse();
        assertThat(Failures.isRegistryUnavailable(new AvroRuntimeException("malformed"))).isFalse();
    }

    private static ApiException apiError(int status) {
        return new ApiException("registry answered " + status) {
            @Override
            public int getResponseStatusCode() {
                return status;
            }
        };
    }
}
