package dev.onepg.eventstore.postgres;

import dev.onepg.eventstore.StreamId;

/**
 * The highest version this store has seen stored, for recently used streams: what its appends committed and its
 * reads returned.
 *
 * <p>What it says never goes stale. The log is append-only and every append stores the versions right after one
 * that is stored, so a stream that has version {@code v} has every version up to {@code v}, now and later, whatever
 * other instances append meanwhile. An append expecting such a version need not look it up in its statement: its
 * insert can only leave a gap when the expected version is missing, and the unique index still catches a version
 * that is taken. An instance that never saw a stream, or forgot it, looks the version up as before. (Only a
 * database restored to an earlier point under a running store could take back a version seen: docs/operations.md
 * says to restart every instance after a restore.)
 *
 * <p>A fixed table of slots, one stream each, a stream's slot chosen by its hash; a stream that lands on a taken
 * slot replaces the one there. No lock: a slot holds an immutable entry, and two threads racing on one slot can only
 * lose an entry or keep a lower version, which costs a look-up, never a wrong answer.
 */
final class SeenVersions {

    /** 65,536 streams: a few MiB when every slot holds a stream with a UUID for its id. */
    static final int DEFAULT_SLOTS = 1 << 16;

    private record Seen(StreamId stream, long version) {}

    private final Seen[] slots;
    private final int mask;

    SeenVersions(int slots) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("the slots of seen versions are a power of two, were " + slots);
        }
        this.slots = new Seen[slots];
        this.mask = slots - 1;
    }

    /** Whether {@code version} of the stream is known to be stored (0, no stream, always is). */
    boolean stored(StreamId stream, long version) {
        if (version == 0) {
            return true;
        }
        Seen seen = slots[slot(stream)];
        return seen != null && seen.version >= version && seen.stream.equals(stream);
    }

    /** Remembers that the stream has {@code version} stored (and so every version before it). */
    void seen(StreamId stream, long version) {
        if (version < 1) {
            return;
        }
        int slot = slot(stream);
        Seen seen = slots[slot];
        if (seen == null || seen.version < version || !seen.stream.equals(stream)) {
            slots[slot] = new Seen(stream, version);
        }
    }

    private int slot(StreamId stream) {
        int hash = stream.hashCode();
        return (hash ^ (hash >>> 16)) & mask;
    }
}
