package dev.onepg.eventstore.postgres.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code postmaster.pid} a running server keeps in its data directory; its first line is the server's
 * process id. A server that stopped cleanly removes it; one that was killed or lost its parent leaves it.
 */
record PostmasterPidFile(Path file, long pid) {

    static final String NAME = "postmaster.pid";

    static Optional<PostmasterPidFile> in(Path dataDirectory) {
        Path file = dataDirectory.resolve(NAME);
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty() || lines.getFirst().isBlank()) {
                // A server writes the file in one go; an empty one was cut short by a crash.
                return Optional.of(new PostmasterPidFile(file, 0));
            }
            return Optional.of(
                    new PostmasterPidFile(file, Long.parseLong(lines.getFirst().strip())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.of(new PostmasterPidFile(file, 0));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the stale " + file, e);
        }
    }
}
