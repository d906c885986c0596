package dev.onepg.eventstore.postgres.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what an earlier owner of a data directory left behind when it ended without stopping its server: the
 * server itself, still running, or a stale {@code postmaster.pid}. A directory that a live process still holds
 * is refused, never taken over.
 */
final class LeftoverServers {

    private static final Logger log = LoggerFactory.getLogger(LeftoverServers.class);

    /** The lock file the embedded server's owner holds for as long as it lives. */
    static final String OWNER_LOCK = "epg-lock";

    private static final Duration IMMEDIATE_STOP_TIMEOUT = Duration.ofSeconds(10);

    private LeftoverServers() {}

    static void clear(Path dataDirectory, Duration stopTimeout) {
        refuseIfOwned(dataDirectory);
        Optional<PostmasterPidFile> found = PostmasterPidFile.in(dataDirectory);
        if (found.isEmpty()) {
            return;
        }
        PostmasterPidFile pidFile = found.get();
        Optional<ProcessHandle> process = ProcessHandle.of(pidFile.pid()).filter(ProcessHandle::isAlive);
        if (process.isPresent() && isServerOf(process.get(), dataDirectory)) {
            stop(process.get(), dataDirectory, stopTimeout);
            return;
        }
        log.warn(
                "Found a stale {} in {}: process {} {}. Removing it.",
                PostmasterPidFile.NAME,
                dataDirectory,
                pidFile.pid(),
                process.isPresent() ? "is another program" : "is not running");
        pidFile.delete();
    }

    /**
     * The owner of a running embedded server holds a lock on a file in the data directory; the operating system
     * releases it when the owner dies, however it dies.
     */
    private static void refuseIfOwned(Path dataDirectory) {
        Path lockFile = dataDirectory.resolve(OWNER_LOCK);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw inUse(dataDirectory, "another running process");
            }
        } catch (OverlappingFileLockException e) {
            throw inUse(dataDirectory, "this process");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check who uses " + dataDirectory, e);
        }
    }

    private static IllegalStateException inUse(Path dataDirectory, String owner) {
        return new IllegalStateException("The embedded PostgreSQL data directory " + dataDirectory + " is in use by "
                + owner + "; stop it first, or give this one another data directory.");
    }

    private static boolean isServerOf(ProcessHandle process, Path dataDirectory) {
        ProcessHandle.Info info = process.info();
        boolean isPostgres = info.command()
                .map(command -> Path.of(command).getFileName().toString().equals("postgres"))
                .orElse(false);
        if (!isPostgres) {
            return false;
        }
        List<String> arguments = List.of(info.arguments().orElse(new String[0]));
        int flag = arguments.indexOf("-D");
        return flag >= 0
                && flag + 1 < arguments.size()
                && sameDirectory(Path.of(arguments.get(flag + 1)), dataDirectory);
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** As {@code pg_ctl stop -m fast} would: running transactions roll back, everything committed stays. */
    private static void stop(ProcessHandle server, Path dataDirectory, Duration timeout) {
        log.warn(
                "Found PostgreSQL (pid {}) still running on data directory {}, left by a process that ended without"
                        + " stopping it. Stopping it (fast shutdown) before starting a new one.",
                server.pid(),
                dataDirectory);
        long started = System.nanoTime();
        signal(server, "INT");
        if (!awaitExit(server, timeout)) {
            log.warn("PostgreSQL (pid {}) did not stop within {}; stopping it immediately", server.pid(), timeout);
            signal(server, "QUIT");
            if (!awaitExit(server, IMMEDIATE_STOP_TIMEOUT)) {
                throw new IllegalStateException("Could not stop the PostgreSQL server (pid " + server.pid()
                        + ") left running on " + dataDirectory + "; stop it by hand: kill " + server.pid());
            }
        }
        log.info(
                "The leftover PostgreSQL (pid {}) stopped after {} ms",
                server.pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void signal(ProcessHandle process, String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
            if (exit != 0 && process.isAlive()) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not signal process " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping process " + process.pid(), e);
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping process " + process.pid(), e);
        }
    }
}
