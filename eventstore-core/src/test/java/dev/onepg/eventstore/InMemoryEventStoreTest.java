package dev.onepg.eventstore;

/** Runs the conformance suite against the in-memory event store. */
class InMemoryEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore store() {
        return new InMemoryEventStore();
    }
}
