package dev.onepg.eventstore.postgres.projection;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where a rebuild stands.
 *
 * @param done events of the log passed so far
 * @param total events in the log when the rebuild started (more may arrive)
 * @param eventsPerSecond the rate so far
 * @param error why the rebuild stopped, when it failed
 */
public record RebuildProgress(
        String projection,
        State state,
        long done,
        long total,
        double eventsPerSecond,
        Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable String error) {

    /** The phases of a rebuild. */
    public enum State {
        BUILDING,
        SWITCHING,
        DONE,
        FAILED
    }

    Duration elapsed(Instant now) {
        return Duration.between(startedAt, finishedAt == null ? now : finishedAt);
    }
}
