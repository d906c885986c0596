package dev.onepg.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The real service, {@code java -Xms256m -Xmx256m -jar app/target/onepg.jar}, as a process of its own on a free port
 * with its own working directory, on a database of the run's PostgreSQL. A fixed heap, as docs/operations.md
 * advises: with only a maximum, G1 kept half of it and collected three times a second. {@code
 * -Dbench.serviceJvmArgs} replaces the JVM options; with {@code -Dbench.jfr=true} it records a JFR profile into
 * {@code target/jfr/<name>.jfr}.
 */
final class Service implements AutoCloseable {

    static final String JVM_ARGS = System.getProperty("bench.serviceJvmArgs", "-Xms256m -Xmx256m");
    /** {@code dev:dev}, the development user the benchmark's throwaway database lets in. */
    static final String AUTHORIZATION = "Basic ZGV2OmRldg==";

    final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final URI base;
    private final Process process;
    private final Path log;

    private Service(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    static Service start(Db db, String name) throws Exception {
        Path jar = Path.of(System.getProperty("bench.serviceJar", "../app/target/onepg.jar"))
                .toAbsolutePath();
        Path directory = Path.of("target/service", name).toAbsolutePath();
        Files.createDirectories(directory);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command =
                new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(JVM_ARGS.split(" +")));
        if (Bench.JFR) {
            Files.createDirectories(Path.of("target/jfr"));
            command.add("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of("target/jfr", name + ".jfr").toAbsolutePath());
        }
        command.addAll(
                List.of("-jar", jar.toString(), "--server.port=" + port, "--onepg.security.allow-default-users=true"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("service.log").toFile());
        builder.environment().put("SPRING_DATASOURCE_URL", db.url());
        builder.environment().put("SPRING_DATASOURCE_USERNAME", db.user());
        builder.environment().put("SPRING_DATASOURCE_PASSWORD", db.password());
        Service service =
                new Service(builder.start(), URI.create("http://127.0.0.1:" + port), directory.resolve("service.log"));
        service.awaitHealthy();
        return service;
    }

    private void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ", see " + log);
            }
            try {
                if (send("GET", "/actuator/health", "").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not become healthy, see " + log);
    }

    long pid() {
        return process.pid();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", AUTHORIZATION)
                .header("Content-Type", "application/json");
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return client.send(
                request(path)
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The users projection as the operations API shows it. */
    JsonNode usersProjection() throws IOException, InterruptedException {
        return Results.JSON.readTree(
                send("GET", "/api/operations/projections/users", "").body());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
