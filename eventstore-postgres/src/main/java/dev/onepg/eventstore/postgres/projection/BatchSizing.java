package dev.onepg.eventstore.postgres.projection;

/**
 * The size of a runner's next batch: the configured size while the projection keeps up, doubling after every
 * full batch up to {@link #GROWTH} times that while a backlog lasts, and back to the configured size as soon as a
 * batch comes back short. Small batches commit soon (fresh views); large ones cost fewer statements and
 * commits per event (a backlog drains faster).
 */
final class BatchSizing {

    // 20 held the catch-up of 300,000 events at 30,000-34,000 events/s, 40 at 45,000-47,000 (docs/benchmarks.md):
    // a catch-up's cost per batch grows less than its size.
    static final int GROWTH = 40;

    private final int base;
    private final int max;
    private int current;

    BatchSizing(int base) {
        this.base = base;
        this.max = base * GROWTH;
        this.current = base;
    }

    int current() {
        return current;
    }

    /** The size that follows a full batch of {@code size}: what to read ahead while that batch commits. */
    int afterFull(int size) {
        return size == current ? Math.min(max, current * 2) : current;
    }

    /** Records that a batch asked for {@code size} events and got {@code read}. */
    void read(int size, int read) {
        if (read < size) {
            current = base;
        } else if (size == current) {
            current = Math.min(max, current * 2);
        }
    }
}
