package dev.onepg.eventstore;

/** The stream was not at the version the append expected; {@code actualVersion} is where it is (0: no stream). */
public final class WrongExpectedVersion extends EventStoreException {

    private final StreamId stream;
    private final ExpectedVersion expected;
    private final long actualVersion;

    public WrongExpectedVersion(StreamId stream, ExpectedVersion expected, long actualVersion) {
        super("stream " + stream + " was expected at " + expected + " but is "
                + (actualVersion == 0 ? "not there yet" : "at version " + actualVersion));
        this.stream = stream;
        this.expected = expected;
        this.actualVersion = actualVersion;
    }

    public StreamId stream() {
        return stream;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
