package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.postgres.GlobalLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads the global log ahead in chunks, on a thread and a connection of its own, while the caller applies the
 * chunk before: reading and writing overlap. At most one chunk waits, so memory stays bounded by a few chunks
 * however long the log is.
 *
 * <p>{@link #inLogOrder} reads in pages after a checkpoint, until the first page that is not full: the log's end
 * when it was read. {@link #byStream} reads the log up to its end in one query, stream by stream, and cuts it
 * only between streams: a chunk holds whole streams, at least {@code chunkSize} events or {@code chunkBytes} unless
 * it is the last. Either way a chunk's size in events is also bounded by weight (see {@link BatchSizing}), so a log
 * of large events is read in chunks of fewer of them.
 */
final class LogChunks implements AutoCloseable {

    /**
     * Events that follow on from {@code after} (in log order), or whole streams of the log up to {@code through}
     * (by stream); {@code last} marks the final chunk.
     */
    record Chunk(Checkpoint after, Checkpoint through, List<RecordedEvent> events, boolean last) {}

    private record Next(@Nullable Chunk chunk, @Nullable RuntimeException failure) {}

    private interface Reading {
        void run(BlockingQueue<Next> ready) throws InterruptedException, SQLException;
    }

    private final BlockingQueue<Next> ready = new ArrayBlockingQueue<>(1);
    private final Thread reader;

    private LogChunks(String threadName, Reading reading) {
        this.reader = Thread.ofPlatform().daemon().name(threadName).start(() -> read(reading, ready));
    }

    /**
     * Pages of {@code chunkSize} events after {@code from}, in log order, or fewer when the events of the page before
     * would not fit {@code chunkBytes} at their average size.
     */
    static LogChunks inLogOrder(
            DataSource dataSource, Checkpoint from, int chunkSize, long chunkBytes, String threadName) {
        return new LogChunks(threadName, ready -> readInLogOrder(ready, dataSource, from, chunkSize, chunkBytes));
    }

    /**
     * The whole log as it is now, stream by stream, in chunks of whole streams, each cut once it holds
     * {@code chunkSize} events or {@code chunkBytes} (a single stream is never cut).
     */
    static LogChunks byStream(DataSource dataSource, int chunkSize, long chunkBytes, String threadName) {
        return new LogChunks(threadName, ready -> readByStream(ready, dataSource, chunkSize, chunkBytes));
    }

    private static void read(Reading reading, BlockingQueue<Next> ready) {
        try {
            reading.run(ready);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | SQLException e) {
            try {
                ready.put(new Next(
                        null,
                        e instanceof RuntimeException runtime
                                ? runtime
                                : new IllegalStateException("could not read the log: " + e.getMessage(), e)));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void readInLogOrder(
            BlockingQueue<Next> ready, DataSource dataSource, Checkpoint from, int chunkSize, long chunkBytes)
            throws InterruptedException, SQLException {
        Checkpoint after = from;
        int size = chunkSize;
        while (true) {
            List<RecordedEvent> events;
            try (Connection connection = dataSource.getConnection()) {
                events = GlobalLog.readAfter(connection, after, size);
            }
            boolean last = events.size() < size;
            size = Math.min(chunkSize, BatchSizing.fitting(chunkBytes, events));
            Checkpoint through = events.isEmpty() ? after : events.getLast().checkpoint();
            ready.put(new Next(new Chunk(after, through, events, last), null));
            if (last) {
                return;
            }
            after = through;
        }
    }

    /**
     * One query in one transaction, fetched a chunk at a time. The end is read first: every event up to it is of a
     * finished transaction, so the query sees all of them (whatever its snapshot) and none after.
     */
    private static void readByStream(BlockingQueue<Next> ready, DataSource dataSource, int chunkSize, long chunkBytes)
            throws InterruptedException, SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                Checkpoint through = GlobalLog.end(connection);
                List<RecordedEvent> events = new ArrayList<>(chunkSize);
                long weight = 0;
                RecordedEvent previous = null;
                try (ResultSet rows = GlobalLog.byStreamThrough(connection, through, chunkSize)) {
                    while (rows.next()) {
                        RecordedEvent event = GlobalLog.toRecordedEvent(rows);
                        boolean sameStream =
                                previous != null && previous.stream().equals(event.stream());
                        if (sameStream && previous.checkpoint().compareTo(event.checkpoint()) > 0) {
                            throw new IllegalStateException("version " + event.version() + " of stream "
                                    + event.stream() + " precedes version " + previous.version()
                                    + " in the log: its events cannot be loaded stream by stream");
                        }
                        if (!sameStream && (events.size() >= chunkSize || weight >= chunkBytes)) {
                            ready.put(new Next(new Chunk(Checkpoint.START, through, events, false), null));
                            // the driver holds a fetch's rows at once: no more than fit, at these events' size
                            rows.setFetchSize(Math.min(chunkSize, BatchSizing.fitting(chunkBytes, events)));
                            events = new ArrayList<>(chunkSize);
                            weight = 0;
                        }
                        events.add(event);
                        weight += BatchSizing.weightOf(event);
                        previous = event;
                    }
                }
                ready.put(new Next(new Chunk(Checkpoint.START, through, events, true), null));
            } finally {
                connection.rollback();
            }
        }
    }

    /** The next chunk; see {@link Chunk#last()}. */
    Chunk next() throws InterruptedException {
        Next next = ready.take();
        if (next.failure() != null) {
            throw next.failure();
        }
        return Objects.requireNonNull(next.chunk());
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
