package dev.onepg.eventstore.postgres.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner of an embedded server dies by {@code kill -9}: its server does not outlive it for long, and the next
 * start comes up on the first try (within the startup timeout, which a start blocked by a leftover server never
 * meets) with every committed row.
 */
class EmbeddedServerCrashIT {

    @TempDir
    static Path template;

    @TempDir
    Path directory;

    private final List<ServerInChildProcess> children = new ArrayList<>();
    private final List<Long> orphans = new ArrayList<>();

    /** One initdb for the class: every test starts from a copy of this cluster. */
    @BeforeAll
    static void initialiseACluster() {
        EmbeddedPostgresServer.start(ServerInChildProcess.settings(template.resolve("postgres")))
                .close();
    }

    @BeforeEach
    void copyTheCluster() throws IOException {
        Path source = template.resolve("postgres");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                // With its attributes: PostgreSQL refuses a data directory that others may read.
                Files.copy(
                        file,
                        dataDirectory().resolve(source.relativize(file).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    @AfterEach
    void killWhatTheTestStarted() throws InterruptedException {
        for (ServerInChildProcess child : children) {
            child.close();
        }
        for (long orphan : orphans) {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void startsOnTheDataOfAServerLeftRunningByAKilledOwner() throws Exception {
        ServerInChildProcess owner = child(false);
        owner.kill();
        // Without a watchdog (the variant this guards against) the server outlives its owner.
        assertThat(isAlive(owner.serverPid())).isTrue();

        try (EmbeddedPostgresServer server =
                EmbeddedPostgresServer.start(ServerInChildProcess.settings(dataDirectory()))) {
            assertThat(isAlive(owner.serverPid())).isFalse();
            assertThat(server.pid()).isNotEqualTo(owner.serverPid());
            assertThat(rows(server)).containsExactly(ServerInChildProcess.ROW);
        }
    }

    @Test
    void watchdogStopsTheServerOfAKilledOwner() throws Exception {
        ServerInChildProcess owner = child(true);
        owner.kill();

        assertThat(exitsWithin(owner.serverPid(), Duration.ofSeconds(10))).isTrue();
        // A fast shutdown, not a crash: the server removed its pid file on the way out.
        assertThat(Files.exists(dataDirectory().resolve(PostmasterPidFile.NAME)))
                .isFalse();
        try (EmbeddedPostgresServer server =
                EmbeddedPostgresServer.start(ServerInChildProcess.settings(dataDirectory()))) {
            assertThat(rows(server)).containsExactly(ServerInChildProcess.ROW);
        }
    }

    @Test
    void refusesADataDirectoryThatALiveOwnerUses() throws Exception {
        ServerInChildProcess owner = child(true);

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(ServerInChildProcess.settings(dataDirectory())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is in use by another running process");
        assertThat(isAlive(owner.serverPid())).isTrue();
    }

    @Test
    void removesAStalePidFileThatNamesAnotherProgram() throws Exception {
        EmbeddedPostgresSettings settings = ServerInChildProcess.settings(dataDirectory());
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings)) {
            execute(server, "CREATE TABLE public.crash_test (note text)");
            execute(server, "INSERT INTO public.crash_test VALUES ('" + ServerInChildProcess.ROW + "')");
        }
        // As after a power cut: the pid file stays, and its pid now belongs to an unrelated program.
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(
                    dataDirectory().resolve(PostmasterPidFile.NAME), unrelated.pid() + "\n" + dataDirectory() + "\n");

            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings)) {
                assertThat(rows(server)).containsExactly(ServerInChildProcess.ROW);
            }
            assertThat(unrelated.isAlive()).isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    private ServerInChildProcess child(boolean watchdog) throws IOException {
        ServerInChildProcess child = ServerInChildProcess.start(dataDirectory(), watchdog);
        children.add(child);
        orphans.add(child.serverPid());
        return child;
    }

    private Path dataDirectory() {
        return directory.resolve("postgres");
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean exitsWithin(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static List<String> rows(EmbeddedPostgresServer server) throws SQLException {
        try (Connection connection = connect(server);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT note FROM public.crash_test")) {
            List<String> notes = new ArrayList<>();
            while (result.next()) {
                notes.add(result.getString(1));
            }
            return notes;
        }
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection connection = connect(server);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("postgres"), server.username(), server.password());
    }
}
