package dev.onepg.eventstore.postgres.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An embedded server owned by another JVM, so that a test can kill its owner with {@code kill -9}. The child
 * writes a row, reports its server's pid and then waits to be killed.
 */
final class ServerInChildProcess implements AutoCloseable {

    static final String ROW = "written before the crash";
    private static final String READY = "READY ";

    private final Process process;
    private final long serverPid;

    private ServerInChildProcess(Process process, long serverPid) {
        this.process = process;
        this.serverPid = serverPid;
    }

    static ServerInChildProcess start(Path dataDirectory, boolean watchdog) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        ServerInChildProcess.class.getName(),
                        dataDirectory.toString(),
                        Boolean.toString(watchdog))
                .redirectErrorStream(true)
                .start();
        BufferedReader output =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = output.readLine()) != null) {
            if (line.startsWith(READY)) {
                long serverPid = Long.parseLong(line.substring(READY.length()).strip());
                // Keep draining its output so that the child never blocks on a full pipe.
                Thread.ofVirtual().start(() -> output.lines().forEach(ignored -> {}));
                return new ServerInChildProcess(process, serverPid);
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("The child process ended before its server was ready:\n" + seen);
    }

    static EmbeddedPostgresSettings settings(Path dataDirectory) {
        return new EmbeddedPostgresSettings(
                dataDirectory,
                Path.of(System.getProperty("java.io.tmpdir"), "onepg-test-postgres", "binaries"),
                0,
                false,
                Duration.ofSeconds(20),
                // Only the owner is killed in these tests, never the server: durability settings do not matter here.
                Map.of("fsync", "off"));
    }

    long serverPid() {
        return serverPid;
    }

    long pid() {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is stopped in order. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresSettings settings = settings(Path.of(args[0]));
        if (!Boolean.parseBoolean(args[1])) {
            settings = settings.withoutWatchdog();
        }
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings);
        writeRow(server);
        System.out.println(READY + server.pid());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5));
    }

    private static void writeRow(EmbeddedPostgresServer server) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(server.jdbcUrl("postgres"), server.username(), server.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS public.crash_test (note text)");
            statement.execute("INSERT INTO public.crash_test VALUES ('" + ROW + "')");
        }
    }
}
