import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The baseline of the HTTP write benchmark: N threads, each on a connection of its own, insert the rows an HTTP
 * UsernameChanged stores (same columns, same sizes) into a table made LIKE eventstore.events INCLUDING ALL, one
 * autocommit INSERT per row, versions counted by the client. Prints "rate p50_ms p99_ms".
 *
 * <p>Usage: java -cp postgresql.jar PlainInserts.java jdbcUrl threads warmupSeconds seconds
 */
public class PlainInserts {

    static final String INSERT = "INSERT INTO bench.plain_events (event_id, stream_type, stream_id, version, event_type,"
            + " payload, actor, correlation_id) VALUES (?, 'user', ?, ?, 'UsernameChanged', ?::jsonb, 'dev', ?)";

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int threads = Integer.parseInt(args[1]);
        long warmupNanos = Long.parseLong(args[2]) * 1_000_000_000L;
        long measureNanos = Long.parseLong(args[3]) * 1_000_000_000L;
        LongAdder done = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> latencies = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] micros = new long[4_000_000 / threads];
            latencies.add(micros);
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                        PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    ready.countDown();
                    String[] streams = new String[100];
                    long[] versions = new long[100];
                    for (int i = 0; i < streams.length; i++) {
                        streams[i] = UUID.randomUUID().toString();
                    }
                    int recorded = 0;
                    for (long i = 0; !stop.get(); i++) {
                        int s = (int) (i % streams.length);
                        long start = System.nanoTime();
                        insert.setObject(1, UUID.randomUUID());
                        insert.setString(2, streams[s]);
                        insert.setLong(3, ++versions[s]);
                        insert.setString(4, "{\"username\": \"u" + thread + "-" + s + "-" + i + "\"}");
                        insert.setString(5, UUID.randomUUID().toString());
                        insert.executeUpdate();
                        if (measuring.get()) {
                            done.increment();
                            if (recorded < micros.length) {
                                micros[recorded++] = (System.nanoTime() - start) / 1000;
                            }
                        }
                    }
                    if (recorded < micros.length) {
                        micros[recorded] = -1;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        ready.await();
        Thread.sleep(warmupNanos / 1_000_000);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(measureNanos / 1_000_000);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        List<Long> all = new ArrayList<>();
        for (long[] micros : latencies) {
            for (long m : micros) {
                if (m <= 0) {
                    break;
                }
                all.add(m);
            }
        }
        all.sort(null);
        double rate = done.sum() / (elapsed / 1e9);
        System.out.printf(
                "%.0f %.2f %.2f%n",
                rate, all.get(all.size() / 2) / 1000.0, all.get((int) (all.size() * 0.99)) / 1000.0);
    }
}
