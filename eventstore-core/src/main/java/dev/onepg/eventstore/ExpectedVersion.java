package dev.onepg.eventstore;

/** What the appender believes the stream's current version is; the append fails when it is wrong. */
public sealed interface ExpectedVersion {

    /** Append whatever the stream's version is. */
    record Any() implements ExpectedVersion {
        @Override
        public boolean accepts(long actual) {
            return true;
        }

        @Override
        public String toString() {
            return "any version";
        }
    }

    /** The stream must not exist yet. */
    record NoStream() implements ExpectedVersion {
        @Override
        public boolean accepts(long actual) {
            return actual == 0;
        }

        @Override
        public String toString() {
            return "no stream";
        }
    }

    /** The stream must have at least one event. */
    record StreamExists() implements ExpectedVersion {
        @Override
        public boolean accepts(long actual) {
            return actual > 0;
        }

        @Override
        public String toString() {
            return "an existing stream";
        }
    }

    /** The stream must be at exactly this version; 0 means it does not exist yet. */
    record Exactly(long version) implements ExpectedVersion {
        public Exactly {
            if (version < 0) {
                throw new IllegalArgumentException("expected version must be 0 or more, was " + version);
            }
        }

        @Override
        public boolean accepts(long actual) {
            return actual == version;
        }

        @Override
        public String toString() {
            return "version " + version;
        }
    }

    /** Whether a stream at the given version (0: no stream) satisfies this expectation. */
    boolean accepts(long actual);

    static ExpectedVersion any() {
        return new Any();
    }

    static ExpectedVersion noStream() {
        return new NoStream();
    }

    static ExpectedVersion streamExists() {
        return new StreamExists();
    }

    static ExpectedVersion exactly(long version) {
        return new Exactly(version);
    }
}
