package dev.onepg.eventstore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers the folded state of the streams read or written most recently, so that a command on a stream this
 * instance wrote a moment ago needs no read: its append is the only round trip. A bounded number of streams, the
 * least recently used forgotten first.
 *
 * <p>Nothing here has to be kept in step with other instances: an entry that is behind the log leads to an append at
 * a version that is taken, which the handler answers by reading the stream and deciding again. What was read from
 * the log replaces any entry; what an append stored replaces only an older one (two appends of one instance may
 * report out of order).
 *
 * @param <S> the states
 */
final class RecentStreamStates<S> implements StreamStateLoader<S> {

    private record Known<S>(long version, S state) {}

    private final StreamStateLoader<S> log;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<StreamId, Known<S>> entries;

    RecentStreamStates(StreamStateLoader<S> log, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a cache of stream states holds at least one, was " + capacity);
        }
        this.log = log;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<StreamId, Known<S>> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public StreamState<S> load(StreamId stream) {
        Known<S> entry;
        lock.lock();
        try {
            entry = entries.get(stream);
        } finally {
            lock.unlock();
        }
        return entry == null ? read(stream) : StreamState.remembered(stream, entry.version(), entry.state());
    }

    @Override
    public StreamState<S> read(StreamId stream) {
        StreamState<S> read = log.read(stream);
        if (read.version() > 0) {
            lock.lock();
            try {
                entries.put(stream, new Known<>(read.version(), read.state()));
            } finally {
                lock.unlock();
            }
        }
        return read;
    }

    @Override
    public void stored(StreamState<S> after) {
        lock.lock();
        try {
            Known<S> known = entries.get(after.stream());
            if (known == null || known.version() < after.version()) {
                entries.put(after.stream(), new Known<>(after.version(), after.state()));
            }
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }
}
