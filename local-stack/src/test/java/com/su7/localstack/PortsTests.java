package com.su7.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortsTests {

    @Test
    void refusesATakenPortSayingWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Ports.claim("Kafka", taken.getLocalPort(), "--kafka-port"))
                    .isInstanceOf(LocalStackException.class)
                    .hasMessageContaining("port %d for Kafka is taken".formatted(taken.getLocalPort()))
                    .hasMessageContaining("--kafka-port");
        }
    }

    @Test
    void zeroPicksAFreePort() {
        int port = Ports.claim("Kafka", 0, "--kafka-port");
        assertThat(port).isPositive();
        assertThat(Ports.isFree(port)).isTrue();
    }

    @Test
    void refusesAPortOutOfRange() {
        assertThatThrownBy(() -> new LocalStackSettings(70_000, 0, 0, 0, java.util.Optional.empty(), java.util.List.of(), java.util.OptionalInt.empty()))
                .hasMessageContaining("between 0 and 65535");
    }
}
