package dev.onepg.benchmarks;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.WrongExpectedVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * One appender: appends to streams of its own, one append (one transaction) after the other, each with the
 * expected version it knows, as a command handler would. Notes when each measured append returned.
 */
final class Appender implements Runnable {

    /** Streams per appender, written round robin: many aggregates, each with a few events. */
    private static final int STREAMS = 100;

    private final int index;
    private final EventStore store;
    private final int eventsPerAppend;
    private final Phase phase;
    private final long[] versions = new long[STREAMS];

    private final List<UUID> measuredEventIds = new ArrayList<>();
    private final LongList measuredReturnedAt = new LongList();
    private final LongList measuredAppendNanos = new LongList();
    private long appends;
    private long events;
    private long failures;
    private @Nullable RuntimeException firstFailure;

    Appender(int index, EventStore store, int eventsPerAppend, Phase phase) {
        this.index = index;
        this.store = store;
        this.eventsPerAppend = eventsPerAppend;
        this.phase = phase;
    }

    @Override
    public void run() {
        for (long n = 0; !phase.stopped(); n++) {
            int slot = (int) (n % STREAMS);
            StreamId stream = StreamId.of("benchmark", index + "-" + slot);
            List<NewEvent> batch = new ArrayList<>(eventsPerAppend);
            for (int i = 0; i < eventsPerAppend; i++) {
                batch.add(NewEvent.of(
                        randomUuid(),
                        TimingProjection.EVENT_TYPE,
                        "{\"appender\":" + index + ",\"n\":" + n + ",\"i\":" + i + "}"));
            }
            long start = System.nanoTime();
            try {
                store.append(AppendRequest.of(stream, ExpectedVersion.exactly(versions[slot]), batch));
            } catch (RuntimeException e) {
                failures++;
                if (firstFailure == null) {
                    firstFailure = e;
                }
                if (e instanceof WrongExpectedVersion) {
                    versions[slot] = store.currentVersion(stream);
                }
                continue;
            }
            long returnedAt = System.nanoTime();
            versions[slot] += eventsPerAppend;
            appends++;
            events += eventsPerAppend;
            if (phase.measures(returnedAt)) {
                measuredAppendNanos.add(returnedAt - start);
                for (NewEvent event : batch) {
                    measuredEventIds.add(event.eventId());
                    measuredReturnedAt.add(returnedAt);
                }
            }
        }
    }

    /** A version 4 UUID without SecureRandom's lock, which many appenders would contend on. */
    private static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }

    List<UUID> measuredEventIds() {
        return measuredEventIds;
    }

    LongList measuredReturnedAt() {
        return measuredReturnedAt;
    }

    LongList measuredAppendNanos() {
        return measuredAppendNanos;
    }

    long appends() {
        return appends;
    }

    long events() {
        return events;
    }

    long failures() {
        return failures;
    }

    @Nullable
    RuntimeException firstFailure() {
        return firstFailure;
    }
}
