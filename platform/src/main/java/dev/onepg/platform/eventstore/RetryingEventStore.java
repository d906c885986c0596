package dev.onepg.platform.eventstore;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.StreamQuery;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries again, a bounded number of times, what failed for a reason that may pass: a lost connection, a
 * deadlock, a serialization failure, a pool without a free connection.
 *
 * <p>Reads are safe to repeat. So is an append: its events carry their ids, so an append whose commit went
 * through although its answer was lost is recognised on the next try and answered with its original result,
 * never stored twice. What still fails after the last try goes to the caller, who answers 503.
 *
 * <p>Such a retry is answered by the store as a replay. When an earlier try of this append failed, the replay is
 * taken for what it almost always is, the commit of that earlier try, and answered as stored.
 */
final class RetryingEventStore implements EventStore {

    private static final Logger log = LoggerFactory.getLogger(RetryingEventStore.class);

    private final EventStore store;
    private final int attempts;
    private final Duration firstDelay;

    RetryingEventStore(EventStore store, int attempts, Duration firstDelay) {
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt is needed, was " + attempts);
        }
        this.store = store;
        this.attempts = attempts;
        this.firstDelay = firstDelay;
    }

    @Override
    public AppendResult append(AppendRequest request) {
        boolean[] failedBefore = {false};
        AppendResult result = retried("append to " + request.stream(), () -> {
            try {
                return store.append(request);
            } catch (RuntimeException e) {
                failedBefore[0] = true;
                throw e;
            }
        });
        return failedBefore[0] && result.replayed() ? result.asStored() : result;
    }

    @Override
    public List<RecordedEvent> read(StreamId stream, StreamQuery query) {
        return retried("read of " + stream, () -> store.read(stream, query));
    }

    @Override
    public long currentVersion(StreamId stream) {
        return retried("version of " + stream, () -> store.currentVersion(stream));
    }

    @Override
    public List<RecordedEvent> readAfter(Checkpoint checkpoint, int limit) {
        return retried("read after " + checkpoint, () -> store.readAfter(checkpoint, limit));
    }

    private <T> T retried(String what, Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !TransientDatabaseFailure.isTransient(e)) {
                    throw e;
                }
                Duration delay = firstDelay.multipliedBy(1L << (attempt - 1));
                log.info(
                        "The {} failed for a passing reason (attempt {} of {}); trying again in {} ms: {}",
                        what,
                        attempt,
                        attempts,
                        delay.toMillis(),
                        e.toString());
                pause(delay, e);
            }
        }
    }

    private static void pause(Duration delay, RuntimeException failure) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }
}
