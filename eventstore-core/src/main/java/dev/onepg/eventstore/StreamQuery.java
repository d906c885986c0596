package dev.onepg.eventstore;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which events of a stream to read: from a version, up to a version, and recorded no later than a moment.
 *
 * @param fromVersion the first version to read, 1 for all
 * @param toVersion the last version to read, inclusive; {@code Long.MAX_VALUE} for all
 * @param recordedUntil only events recorded at or before this instant, or {@code null} for all
 */
public record StreamQuery(
        long fromVersion, long toVersion, @Nullable Instant recordedUntil) {

    public static final StreamQuery ALL = new StreamQuery(1, Long.MAX_VALUE, null);

    public StreamQuery {
        if (fromVersion < 1) {
            throw new IllegalArgumentException("fromVersion must be 1 or more, was " + fromVersion);
        }
        if (toVersion < fromVersion - 1) {
            throw new IllegalArgumentException("toVersion " + toVersion + " is before fromVersion " + fromVersion);
        }
    }

    public static StreamQuery from(long fromVersion) {
        return new StreamQuery(fromVersion, Long.MAX_VALUE, null);
    }

    public static StreamQuery upToVersion(long toVersion) {
        return new StreamQuery(1, toVersion, null);
    }

    public static StreamQuery asOf(Instant instant) {
        return new StreamQuery(1, Long.MAX_VALUE, instant);
    }
}
