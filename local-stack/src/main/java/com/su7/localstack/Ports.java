package com.su7.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;

/** Picks free loopback ports and refuses taken ones with a message that says what to do. */
public final class Ports {

    private static final int FIRST_PICKED = 20_000;
    private static final int PICKED_RANGE = 12_000;
    private static final Random RANDOM = new Random();

    private Ports() {
    }

    /** The requested port if it is free, a free one if 0 was requested. */
    static int claim(String what, int requested, String flag) {
        if (requested == 0) {
            return freePort();
        }
        if (!isFree(requested)) {
            throw new LocalStackException(
                    "port %d for %s is taken: stop what uses it, or pass %s with another port (0 picks a free one)"
                            .formatted(requested, what, flag));
        }
        return requested;
    }

    /**
     * A free port below the ephemeral range. A port the kernel hands out for {@code bind(0)} is an ephemeral one, and
     * until the server that was picked for it binds it, any outgoing connection (a Kafka client, a JDBC pool) may take
     * it as its local port: a CI run lost the registry's port that way. Outgoing connections never use ports below
     * the ephemeral range (32768 on Linux).
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = FIRST_PICKED + RANDOM.nextInt(PICKED_RANGE);
            if (isFree(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            return false;
        }
        // Something listening on the wildcard address could still shadow loopback connections.
        return !accepts(port);
    }

    /** Whether something accepts connections on the loopback port (never binds it, so it cannot race a server). */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
