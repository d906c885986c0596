package dev.onepg.eventstore.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A port where nothing answers until {@link #forwardTo} opens it onto a broker that started later: the address a
 * client was given for a broker that is down, then up. Clients bootstrap through it and then reach the broker at
 * the address the broker advertises.
 */
final class LatePort implements AutoCloseable {

    private final int port;
    private ServerSocket server;

    LatePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
    }

    String address() {
        return "localhost:" + port;
    }

    void forwardTo(String hostAndPort) throws IOException {
        String host = hostAndPort.substring(0, hostAndPort.lastIndexOf(':'));
        int target = Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(host, target);
                    Thread.ofVirtual().start(() -> pump(client, upstream));
                    Thread.ofVirtual().start(() -> pump(upstream, client));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // either side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
