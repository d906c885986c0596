package dev.onepg.benchmarks;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The rows the append benchmarks write: per worker 100 users of its own (stream type {@code user}, a UUID as the
 * stream id), written round robin with consecutive versions, each event a {@code UsernameChanged} with a payload
 * of constant size, as the service stores it.
 */
final class UserEventRows {

    static final String STREAM_TYPE = "user";
    static final String EVENT_TYPE = "UsernameChanged";
    private static final int STREAMS = 100;

    private final int worker;
    private final String[] streamIds = new String[STREAMS];
    private final long[] versions = new long[STREAMS];

    UserEventRows(int worker) {
        this.worker = worker;
        for (int i = 0; i < STREAMS; i++) {
            streamIds[i] = randomUuid().toString();
        }
    }

    int slot(long n) {
        return (int) (n % STREAMS);
    }

    String streamId(int slot) {
        return streamIds[slot];
    }

    long version(int slot) {
        return versions[slot];
    }

    void appended(int slot) {
        versions[slot]++;
    }

    /** {@code {"username":"user07-0000001234"}}: 35 bytes whatever the numbers. */
    String payload(long n) {
        return String.format(Locale.ROOT, "{\"username\":\"user%02d-%010d\"}", worker % 100, n % 10_000_000_000L);
    }

    /** A version 4 UUID without SecureRandom's lock, which many threads would contend on. */
    static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }
}
