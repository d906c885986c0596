package dev.onepg.eventstore;

import java.util.List;

/**
 * An event store that hands every call to another one: a decorator extends it and overrides only what it changes.
 *
 * <p>The interfaces' default methods ({@code append(stream, expectedVersion, events)}, {@code read(stream)}) are
 * left to their defaults on purpose: they call the overridable methods, so a decorator that overrides
 * {@link #append(AppendRequest)} sees every append, whichever way it was called.
 */
public abstract class ForwardingEventStore implements EventStore {

    private final EventStore delegate;

    protected ForwardingEventStore(EventStore delegate) {
        this.delegate = delegate;
    }

    /** The store every call goes to. */
    protected final EventStore delegate() {
        return delegate;
    }

    @Override
    public AppendResult append(AppendRequest request) {
        return delegate.append(request);
    }

    @Override
    public List<RecordedEvent> read(StreamId stream, StreamQuery query) {
        return delegate.read(stream, query);
    }

    @Override
    public long currentVersion(StreamId stream) {
        return delegate.currentVersion(stream);
    }

    @Override
    public List<RecordedEvent> readAfter(Checkpoint checkpoint, int limit) {
        return delegate.readAfter(checkpoint, limit);
    }
}
