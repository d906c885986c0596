package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.RecordedEvent;
import java.util.List;

/**
 * The size of a runner's next batch: the configured size while the projection keeps up, doubling after every
 * full batch up to {@link #GROWTH} times that while a backlog lasts, and back to the configured size as soon as a
 * batch comes back short. Small batches commit soon (fresh views); large ones cost fewer statements and
 * commits per event (a backlog drains faster).
 *
 * <p>A batch is held in memory whole, and the next one is read while it is applied, so the size is also bounded
 * by weight: never more events than fit the configured bytes at the average weight of the last batch read. A
 * backlog of large events grows its batches only as far as those bytes allow, and shrinks them when they no
 * longer fit.
 */
final class BatchSizing {

    // 20 held the catch-up of 300,000 events at 30,000-34,000 events/s, 40 at 45,000-47,000 (docs/benchmarks.md):
    // a catch-up's cost per batch grows less than its size.
    static final int GROWTH = 40;

    /** What an event holds besides its payload: ids, stream, type, checkpoint, metadata, the objects around them. */
    static final int EVENT_OVERHEAD_BYTES = 256;

    private final int base;
    private final int max;
    private final long bytes;
    private int fitting = Integer.MAX_VALUE;
    private int current;

    BatchSizing(int base, long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("batch bytes must be 1 or more, was " + bytes);
        }
        this.base = base;
        this.max = base * GROWTH;
        this.bytes = bytes;
        this.current = base;
    }

    int current() {
        return current;
    }

    /** Records the events of a batch just read: how many of their weight fit the batch's bytes. */
    void weigh(List<RecordedEvent> events) {
        if (!events.isEmpty()) {
            fitting = fitting(bytes, events);
        }
    }

    /** How many events of the average weight of {@code events} fit in {@code bytes}: at least one. */
    static int fitting(long bytes, List<RecordedEvent> events) {
        if (events.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        long weight = 0;
        for (RecordedEvent event : events) {
            weight += weightOf(event);
        }
        return (int) Math.clamp(bytes * events.size() / weight, 1, Integer.MAX_VALUE);
    }

    /** The size that follows a full batch of {@code size}: what to read ahead while that batch commits. */
    int afterFull(int size) {
        return size == current ? fit(Math.min(max, current * 2)) : current;
    }

    /** Records that a batch asked for {@code size} events and got {@code read}. */
    void read(int size, int read) {
        if (read < size) {
            current = fit(base);
        } else if (size == current) {
            current = fit(Math.min(max, current * 2));
        }
    }

    private int fit(int size) {
        return Math.min(size, fitting);
    }

    /** About what an event takes in memory once read: the characters of its payload and headers, and a fixed part. */
    static long weightOf(RecordedEvent event) {
        long weight = (long) event.payload().length() + EVENT_OVERHEAD_BYTES;
        for (var header : event.metadata().headers().entrySet()) {
            weight += header.getKey().length() + header.getValue().length();
        }
        return weight;
    }
}
