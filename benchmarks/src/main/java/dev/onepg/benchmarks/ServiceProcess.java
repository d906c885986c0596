package dev.onepg.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real service, {@code java -jar app/target/onepg.jar}, as a process of its own on a database of the
 * benchmark's PostgreSQL ({@code SPRING_DATASOURCE_*}), with its output in a log file. A JMX port lets the
 * benchmark sample the stacks of its threads.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final Process process;
    private final int port;
    private final int jmxPort;
    private final Path log;
    private final List<String> command;

    private ServiceProcess(Process process, int port, int jmxPort, Path log, List<String> command) {
        this.process = process;
        this.port = port;
        this.jmxPort = jmxPort;
        this.log = log;
        this.command = command;
    }

    static ServiceProcess start(
            BenchmarkServer server, String database, SuiteSettings settings, String name, List<String> extraArgs)
            throws IOException, InterruptedException {
        Path jar = settings.serviceJar().toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no service jar at " + jar + ": build it with ./mvnw package");
        }
        // Its own working directory: no .env file, no .onepg data of a developer's run.
        Path directory = settings.workDirectory().resolve(name).toAbsolutePath();
        Files.createDirectories(directory);
        Path log = directory.resolve("service.log");
        int port = freePort();
        int jmxPort = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(settings.serviceJvmArgs());
        command.addAll(List.of(
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-Djava.rmi.server.hostname=127.0.0.1"));
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        // The benchmark's database is a throwaway one: let the development users (dev:dev) in.
        command.add("--onepg.security.allow-default-users=true");
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("SPRING_DATASOURCE_URL", server.jdbcUrl(database));
        environment.put("SPRING_DATASOURCE_USERNAME", server.username());
        environment.put("SPRING_DATASOURCE_PASSWORD", server.password());
        ServiceProcess service = new ServiceProcess(builder.start(), port, jmxPort, log, command);
        service.awaitHealthy();
        return service;
    }

    private void awaitHealthy() throws InterruptedException, IOException {
        ServiceClient client = new ServiceClient(baseUri());
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ", see " + log);
            }
            if (client.healthy()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not become healthy in " + STARTUP + ", see " + log);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int jmxPort() {
        return jmxPort;
    }

    long pid() {
        return process.pid();
    }

    /** The command line, without the JMX options. */
    String commandLine() {
        return String.join(
                        " ",
                        command.stream()
                                .filter(arg -> !arg.startsWith("-Dcom.sun.management") && !arg.startsWith("-Djava.rmi"))
                                .toList())
                .replace(System.getProperty("user.dir") + "/", "");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
