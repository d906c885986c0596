package dev.onepg.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Without a configured database the service runs on the embedded one, keeps its data, and stops it. */
class EmbeddedDatabaseIT {

    @TempDir
    Path workingDirectory;

    @Test
    void keepsDataBetweenRunsAndStopsTheServerWithTheService() throws InterruptedException {
        long serverPid;
        try (ConfigurableApplicationContext first = start()) {
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            jdbc.execute("CREATE TABLE public.first_run (note text)");
            jdbc.update("INSERT INTO public.first_run VALUES ('written by the first run')");
            serverPid = postmasterPid();
            assertThat(ProcessHandle.of(serverPid)).map(ProcessHandle::isAlive).contains(true);
        }

        assertThat(Files.exists(dataDirectory().resolve("postmaster.pid"))).isFalse();
        assertThat(hasExited(serverPid, Duration.ofSeconds(10))).isTrue();

        try (ConfigurableApplicationContext second = start()) {
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT note FROM public.first_run", String.class))
                    .isEqualTo("written by the first run");
            assertThat(second.getBean(EmbeddedPostgresServer.class).dataDirectory())
                    .isEqualTo(dataDirectory().toAbsolutePath());
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(OnePgApplication.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.datasource.url=",
                        "--onepg.env-file=" + workingDirectory.resolve(".env"),
                        "--onepg.embedded-database.data-directory=" + dataDirectory(),
                        "--onepg.embedded-database.binaries-directory="
                                + Path.of(System.getProperty("java.io.tmpdir"), "onepg-test-postgres", "binaries"));
    }

    /** The stopped server may linger for a moment as a child process that the JVM has not reaped yet. */
    private static boolean hasExited(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private Path dataDirectory() {
        return workingDirectory.resolve("postgres");
    }

    private long postmasterPid() {
        try {
            Optional<String> firstLine = Files.readAllLines(dataDirectory().resolve("postmaster.pid")).stream()
                    .findFirst();
            return Long.parseLong(firstLine.orElseThrow().strip());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
