import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The floor of an HTTP write on this machine: the JDK's own HTTP server, no framework, no security, no JSON
 * parsing, and per request the same autocommit INSERT that PlainInserts times (same table, columns and sizes),
 * on a connection of the worker thread's own. Whatever an HTTP service adds to an insert, this one adds the
 * least: reading the request and writing a short answer over HTTP/1.1 with keep-alive.
 *
 * <p>Usage: java -cp postgresql.jar BareHttpInserts.java jdbcUrl port threads (serves until killed)
 */
public class BareHttpInserts {

    private static final byte[] ANSWER = "{\"position\":1}".getBytes(StandardCharsets.UTF_8);

    private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);

    private static String url;

    /** A worker thread's connection, statement and streams, as PlainInserts keeps them per thread. */
    private static final class Writer {
        final PreparedStatement insert;
        final String[] streams = new String[100];
        final long[] versions = new long[100];
        long count;

        Writer() {
            try {
                Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                insert = connection.prepareStatement(PlainInserts.INSERT);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < streams.length; i++) {
                streams[i] = UUID.randomUUID().toString();
            }
        }

        void write(byte[] body) throws SQLException {
            int s = (int) (count++ % streams.length);
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, streams[s]);
            insert.setLong(3, ++versions[s]);
            insert.setString(4, "{\"username\": \"u" + body.length + "-" + s + "-" + count + "\"}");
            insert.setString(5, UUID.randomUUID().toString());
            insert.executeUpdate();
        }
    }

    public static void main(String[] args) throws Exception {
        url = args[0];
        int port = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/", BareHttpInserts::handle);
        server.start();
        System.out.println("listening on " + port);
    }

    private static void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            WRITERS.get().write(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ANSWER);
            }
        } catch (Exception e) {
            try {
                exchange.sendResponseHeaders(500, -1);
            } catch (Exception ignored) {
                // the answer has begun; the connection closes with the exchange
            }
        }
    }
}
