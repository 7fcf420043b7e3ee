package com.su7.messaging.correlation;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A correlation id from a Kafka header is taken only when it is what an HTTP one must be: short and plain. */
class CorrelationTests {

    @Test
    void takesASaneIdFromTheRecordsHeader() {
        assertThat(Correlation.of(headers("req-42:a.b_c".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("req-42:a.b_c");
    }

    @Test
    void ignoresAnOversizedHeader() {
        assertThat(Correlation.of(headers("x".repeat(10_000).getBytes(StandardCharsets.US_ASCII)))).isNull();
    }

    @Test
    void ignoresControlCharactersThatWouldForgeLogLines() {
        assertThat(Correlation.of(headers("abc\n2026-11-27 ERROR forged".getBytes(StandardCharsets.UTF_8)))).isNull();
    }

    @Test
    void ignoresBytesThatAreNotText() {
        assertThat(Correlation.of(headers(new byte[] {(byte) 0xff, (byte) 0xfe, 0}))).isNull();
    }

    @Test
    void aRecordWithoutTheHeaderHasNone() {
        assertThat(Correlation.of(new RecordHeaders())).isNull();
    }

    @Test
    void checksHttpOnesByTheSameRule() {
        assertThat(Correlation.accepted("abc-123")).contains("abc-123");
        assertThat(Correlation.accepted("x".repeat(101))).isEmpty();
        assertThat(Correlation.accepted("a b")).isEmpty();
        assertThat(Correlation.accepted(null)).isEmpty();
    }

    private static RecordHeaders headers(byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Correlation.HEADER, value);
        return headers;
    }
}
