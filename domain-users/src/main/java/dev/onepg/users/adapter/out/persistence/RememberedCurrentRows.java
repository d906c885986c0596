package dev.onepg.users.adapter.out.persistence;

import dev.onepg.users.adapter.out.persistence.SetBasedUserViewUpdates.Current;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The current rows that the users views' batches left most recently, each with the version of the user's last
 * change, so that a batch whose users are all remembered writes without reading them first. A bounded number of
 * users, the least recently used forgotten first.
 *
 * <p>A user's current row after version {@code v} follows from the user's events up to {@code v} alone, whoever
 * wrote it and whichever views it is in, so an entry is never wrong about its version; it is used only for a
 * change at the version right after it. An entry behind the log (another instance wrote since) or ahead of the
 * views (its batch rolled back) does not match, and the batch reads that user's row instead.
 */
final class RememberedCurrentRows {

    /** The user's row after {@code version}; {@code null} once the user is deleted. */
    record Remembered(long version, @Nullable Current row) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<UUID, Remembered> entries;

    /** @param capacity how many users to remember; 0 remembers none */
    RememberedCurrentRows(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("the users views remember 0 rows or more, not " + capacity);
        }
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Remembered> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The user's row before a change at {@code version}, if that is what is remembered; otherwise {@code null}. */
    @Nullable
    Remembered before(UUID user, long version) {
        lock.lock();
        try {
            Remembered remembered = entries.get(user);
            return remembered != null && remembered.version() == version - 1 ? remembered : null;
        } finally {
            lock.unlock();
        }
    }

    void remember(Map<UUID, Remembered> rows) {
        lock.lock();
        try {
            entries.putAll(rows);
        } finally {
            lock.unlock();
        }
    }
}
