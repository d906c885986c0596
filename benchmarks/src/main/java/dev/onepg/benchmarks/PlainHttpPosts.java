package dev.onepg.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A load driver that costs little CPU, for the open-loop freshness levels: JSON {@code POST}s on keep-alive HTTP/1.1
 * connections, each request written as one block of bytes and its answer read by hand (status line, headers up to
 * {@code Content-Length}, body). The JDK's {@code HttpClient} spent about 0.65 ms of CPU per write here, more than
 * the service it measured; at "50 % of the best rate" it turned the machine from half busy into nearly full.
 *
 * <p>Requests wait in one queue; each connection has a thread of its own that takes the next one, sends it and reads
 * its answer. A connection that fails, or that the server closes after an answer, is opened again for the next
 * request.
 */
final class PlainHttpPosts implements AutoCloseable {

    /** An answer: its status and body, or the error that ended the exchange. */
    record Answer(int status, String body) {}

    /** An answer, and whether the server closes the connection after it (Tomcat does every 100 requests). */
    private record Exchange(Answer answer, boolean closing) {}

    private record Post(byte[] bytes, BiConsumer<@Nullable Answer, @Nullable Throwable> done) {}

    private static final Post STOP = new Post(new byte[0], (answer, error) -> {});

    private final InetSocketAddress address;
    private final String headers;
    private final BlockingQueue<Post> queue = new LinkedBlockingQueue<>();
    private final List<Thread> connections = new ArrayList<>();

    PlainHttpPosts(URI base, String authorization, int connections) {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        this.headers = "Host: " + base.getHost() + ":" + base.getPort() + "\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\n";
        for (int i = 0; i < connections; i++) {
            this.connections.add(
                    Thread.ofPlatform().daemon().name("plain-http-" + i).start(this::serve));
        }
    }

    /** Queues a {@code POST} of {@code json} with the extra header lines given ("Name: value\r\n" each). */
    void post(String path, String extraHeaders, String json, BiConsumer<@Nullable Answer, @Nullable Throwable> done) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\n" + headers + extraHeaders + "Content-Length: " + body.length
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + body.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(body, 0, bytes, head.length, body.length);
        queue.add(new Post(bytes, done));
    }

    private void serve() {
        @Nullable Socket socket = null;
        try {
            while (true) {
                Post post = queue.take();
                if (post == STOP) {
                    return;
                }
                Exchange exchange;
                try {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.connect(address, 10_000);
                        socket.setSoTimeout(30_000);
                    }
                    exchange = exchange(socket, post.bytes());
                } catch (IOException | RuntimeException e) {
                    closeQuietly(socket);
                    socket = null;
                    post.done().accept(null, e);
                    continue;
                }
                if (exchange.closing()) {
                    closeQuietly(socket);
                    socket = null;
                }
                post.done().accept(exchange.answer(), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
        }
    }

    private static Exchange exchange(Socket socket, byte[] request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 8192) {
            @Override
            public void close() {}
        };
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.1")) {
            throw new IOException("not an HTTP/1.1 answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        int length = -1;
        boolean closing = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String name = colon > 0 ? header.substring(0, colon) : "";
            String value = header.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Connection")) {
                closing = value.equalsIgnoreCase("close");
            }
        }
        if (length < 0) {
            throw new IOException("an answer without Content-Length (status " + status + ")");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length || in.available() > 0) {
            throw new IOException("an answer whose body is not " + length + " bytes long");
        }
        return new Exchange(new Answer(status, new String(body, StandardCharsets.UTF_8)), closing);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection closed in the middle of an answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void closeQuietly(@Nullable Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        connections.forEach(connection -> queue.add(STOP));
        for (Thread connection : connections) {
            connection.join(5_000);
        }
    }
}
