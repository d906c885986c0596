package dev.onepg.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The floor of an HTTP write on this machine: the JDK's own HTTP server in the benchmark's JVM, a worker thread per
 * connection, and per request the plain JDBC baseline's insert into the table identical to the store's (the same
 * code, {@link AppendBenchmark#insertPlain}), then a short JSON answer. No framework, no security, no JSON parsing,
 * no view to keep: whatever an HTTP service adds to an insert, this adds the least. Its ratio to plain JDBC is what
 * HTTP itself costs here, with wrk and the server on the same cores as PostgreSQL.
 */
final class BareHttpWrites implements AutoCloseable {

    private static final byte[] ANSWER = "{\"position\":1}".getBytes(StandardCharsets.UTF_8);

    private final Db db;
    private final HikariDataSource pool;
    private final ExecutorService workers;
    private final HttpServer server;
    private final ThreadLocal<AppendBenchmark.Streams> streams = ThreadLocal.withInitial(() -> {
        AppendBenchmark.Streams own = new AppendBenchmark.Streams();
        own.setUp();
        return own;
    });

    private BareHttpWrites(Db db, int threads) throws IOException, SQLException {
        this.db = db;
        db.execute(AppendBenchmark.MINIMAL_TABLE);
        pool = db.pool(threads);
        workers = Executors.newFixedThreadPool(threads);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves on a free port of its own, inserting into a fresh copy of the template named {@code name}. */
    static BareHttpWrites start(Postgres postgres, String name, int threads) throws IOException, SQLException {
        return new BareHttpWrites(postgres.template().copy(name), threads);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The CPU this JVM has used: the server's, as nothing else in it runs while wrk does. */
    static double cpuSeconds() {
        return Processes.cpuSeconds(ProcessHandle.current().pid(), false);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            if (!insert()) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ANSWER);
            }
        }
    }

    /** One event to the next of this worker's streams; false, and a 500 that wrk counts, if it failed. */
    private boolean insert() {
        AppendBenchmark.Streams own = streams.get();
        int slot = own.next++ % own.ids.length;
        try {
            AppendBenchmark.insertPlain(pool, AppendBenchmark.IDENTICAL_INSERT, own, slot, 1);
        } catch (SQLException e) {
            return false;
        }
        own.versions[slot]++;
        return true;
    }

    @Override
    public void close() throws SQLException {
        server.stop(0);
        workers.shutdownNow();
        pool.close();
        db.drop();
    }
}
