package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.postgres.GlobalLog;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Reads the global log ahead in chunks, on a thread and a connection of its own, while the caller applies the
 * chunk before: reading and writing overlap. At most one chunk waits, so memory stays bounded by a few chunks
 * however long the log is. Reading ends with the first chunk that is not full: the log's end when it was read.
 */
final class LogChunks implements AutoCloseable {

    /** Events that follow on from {@code after}; none once the end is reached. */
    record Chunk(Checkpoint after, List<RecordedEvent> events) {}

    private record Next(@Nullable Chunk chunk, @Nullable RuntimeException failure) {}

    private final BlockingQueue<Next> ready = new ArrayBlockingQueue<>(1);
    private final Thread reader;

    LogChunks(DataSource dataSource, Checkpoint from, int chunkSize, String threadName) {
        DSLContext dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
        this.reader = Thread.ofPlatform().daemon().name(threadName).start(() -> read(dsl, from, chunkSize));
    }

    private void read(DSLContext dsl, Checkpoint from, int chunkSize) {
        Checkpoint after = from;
        try {
            while (true) {
                List<RecordedEvent> events = GlobalLog.readAfter(dsl, after, chunkSize);
                ready.put(new Next(new Chunk(after, events), null));
                if (events.size() < chunkSize) {
                    return;
                }
                after = events.getLast().checkpoint();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                ready.put(new Next(null, e));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The next chunk; the last one is not full. */
    Chunk next() throws InterruptedException {
        Next next = ready.take();
        if (next.failure() != null) {
            throw next.failure();
        }
        return java.util.Objects.requireNonNull(next.chunk());
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
