package com.su7.messaging.tracing;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A record's trace headers are taken only in their plain form: they end up in log lines, rows and later headers. */
class TraceHeadersTests {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void takesAPlainCorrelationIdFromTheRecordsHeader() {
        assertThat(TraceHeaders.correlationIdOf(headers(TraceHeaders.CORRELATION_ID, "req-42:a.b_c".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("req-42:a.b_c");
    }

    @Test
    void ignoresAnOversizedCorrelationId() {
        assertThat(TraceHeaders.correlationIdOf(headers(TraceHeaders.CORRELATION_ID, "x".repeat(10_000).getBytes(StandardCharsets.US_ASCII))))
                .isNull();
    }

    @Test
    void ignoresACorrelationIdThatWouldForgeALogLine() {
        assertThat(TraceHeaders.correlationIdOf(headers(TraceHeaders.CORRELATION_ID, "abc\n2026-11-27 ERROR forged".getBytes(StandardCharsets.UTF_8))))
                .isNull();
    }

    @Test
    void ignoresBytesThatAreNotText() {
        assertThat(TraceHeaders.correlationIdOf(headers(TraceHeaders.CORRELATION_ID, new byte[] {(byte) 0xff, (byte) 0xfe, 0}))).isNull();
        assertThat(TraceHeaders.traceparentOf(headers(TraceHeaders.TRACEPARENT, new byte[] {(byte) 0xff, (byte) 0xfe, 0}))).isNull();
    }

    @Test
    void takesAW3CTraceparentAndItsTraceId() {
        String taken = TraceHeaders.traceparentOf(headers(TraceHeaders.TRACEPARENT, TRACEPARENT.getBytes(StandardCharsets.US_ASCII)));
        assertThat(taken).isEqualTo(TRACEPARENT);
        assertThat(TraceHeaders.traceIdOf(taken)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void refusesWhatIsNotATraceparent() {
        assertThat(TraceHeaders.acceptedTraceparent(TRACEPARENT + "-extra")).as("version 00 has four fields").isEmpty();
        assertThat(TraceHeaders.acceptedTraceparent(TRACEPARENT.toUpperCase())).as("upper-case hex").isEmpty();
        assertThat(TraceHeaders.acceptedTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).as("no trace id").isEmpty();
        assertThat(TraceHeaders.acceptedTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).as("no span id").isEmpty();
        assertThat(TraceHeaders.acceptedTraceparent("abc")).isEmpty();
        assertThat(TraceHeaders.acceptedTraceparent(null)).isEmpty();
        assertThat(TraceHeaders.acceptedTraceparent("01" + TRACEPARENT.substring(2) + "-later")).as("a later version's first fields")
                .contains("01" + TRACEPARENT.substring(2));
    }

    @Test
    void acceptsOnlyPlainCorrelationIds() {
        assertThat(TraceHeaders.acceptedCorrelationId("abc-123")).contains("abc-123");
        assertThat(TraceHeaders.acceptedCorrelationId("x".repeat(101))).isEmpty();
        assertThat(TraceHeaders.acceptedCorrelationId("a b")).isEmpty();
        assertThat(TraceHeaders.acceptedCorrelationId(null)).isEmpty();
    }

    @Test
    void takesTheCorrelationIdARecordOfAnEarlierReleaseCarries() {
        assertThat(TraceHeaders.correlationIdOf(headers("su7-correlation-id", "req-7".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("req-7");
    }

    @Test
    void aRecordWithoutThemHasNone() {
        assertThat(TraceHeaders.correlationIdOf(new RecordHeaders())).isNull();
        assertThat(TraceHeaders.traceparentOf(new RecordHeaders())).isNull();
    }

    private static RecordHeaders headers(String name, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(name, value);
        return headers;
    }
}
