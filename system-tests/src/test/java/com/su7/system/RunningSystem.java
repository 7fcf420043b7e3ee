package com.su7.system;

import com.su7.localstack.HttpClientCredentials;
import com.su7.localstack.LocalStack;
import com.su7.localstack.Ports;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The three services as separate processes on a local stack, sharing one factory calendar, on free ports.
 * Their executable jars come from a {@link Release}: the current build's modules' target/ folders (this module is
 * built after them) unless a test names another.
 */
final class RunningSystem implements AutoCloseable {

    static final List<String> SERVICES = List.of("orders", "production", "delivery");

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, String> shared = new HashMap<>();

    private RunningSystem() {
    }

    /** The services' own JVM settings (scripts/run-service.sh) with the quick compiler only: quicker to start and to warm up. */
    static final List<String> TEST_JVM = List.of("-XX:TieredStopAtLevel=1");

    static RunningSystem start(LocalStack stack, Duration dayLength, Map<String, String> extraEnvironment) {
        return start(stack, dayLength, extraEnvironment, name -> TEST_JVM);
    }

    /** @param jvmOptions the JVM options of each service, by name ("orders", "production", "delivery") */
    static RunningSystem start(LocalStack stack, Duration dayLength, Map<String, String> extraEnvironment,
                               Function<String, List<String>> jvmOptions) {
        return start(stack, dayLength, extraEnvironment, jvmOptions, Release.CURRENT);
    }

    /** @param release whose jars the services run */
    static RunningSystem start(LocalStack stack, Duration dayLength, Map<String, String> extraEnvironment,
                               Function<String, List<String>> jvmOptions, Release release) {
        RunningSystem system = new RunningSystem();
        // The services learn whose tokens to trust from stack.environment(); the tests call them with the clients' tokens.
        Api.useClients(stack.accessTokens(HttpClientCredentials.OPS), stack.accessTokens(HttpClientCredentials.APP));
        Map<String, String> shared = system.shared;
        shared.putAll(stack.environment());
        shared.put("SU7_CALENDAR_FIRSTDAYSTARTSAT", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        shared.put("SU7_CALENDAR_DAYLENGTH", dayLength.toString());
        shared.putAll(extraEnvironment);
        try {
            for (String name : SERVICES) {
                Map<String, String> environment = new HashMap<>(shared);
                int port = Ports.freePort();
                environment.put(name.toUpperCase() + "_PORT", String.valueOf(port));
                ServiceProcess process = new ServiceProcess(name + "-service", release.jar(name), port, environment,
                        release.log(name + "-service"), jvmOptions.apply(name));
                system.services.put(name, process);
                process.start();
            }
            for (ServiceProcess process : system.services.values()) {
                process.awaitReady(Duration.ofMinutes(3));
            }
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    /** SIGKILL: the service dies mid-work, as in a crash. */
    void kill(String name) {
        services.get(name).kill();
    }

    /** Starts a killed service again and waits until it is ready. */
    void restart(String name) {
        ServiceProcess process = services.get(name);
        process.start();
        process.awaitReady(Duration.ofMinutes(3));
    }

    /**
     * SIGKILLs a service and starts it again, launched as given, on the same port and with the same settings;
     * returns how long it took from its process's start until it was ready.
     */
    Duration killAndRestart(String name, ServiceProcess.Launch launch) {
        kill(name);
        ServiceProcess next = services.get(name).launchedAs(launch);
        services.put(name, next);
        long started = System.nanoTime();
        next.start();
        next.awaitReady(Duration.ofMinutes(3));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Starts a killed service again from another build's jar, on the same port and with the same settings, and
     * waits until it is ready: one instance's step of a rolling upgrade.
     */
    void restart(String name, Release release) {
        ServiceProcess next = services.get(name).runningJarOf(release.jar(name), release.log(name + "-service"));
        services.put(name, next);
        next.start();
        next.awaitReady(Duration.ofMinutes(3));
    }

    /** Another instance of a service, in the same consumer groups and on the same database; the caller stops it. */
    ServiceProcess startAnotherInstance(String name, String instance) {
        Map<String, String> environment = new HashMap<>(shared);
        int port = Ports.freePort();
        environment.put(name.toUpperCase() + "_PORT", String.valueOf(port));
        ServiceProcess process = new ServiceProcess(name + "-service-" + instance, Release.CURRENT.jar(name), port, environment,
                Release.CURRENT.log(name + "-service-" + instance), TEST_JVM);
        process.start();
        process.awaitReady(Duration.ofMinutes(3));
        return process;
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::close);
    }
}
