package org.xenomarket.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a local port to another local port (here: PostgreSQL's), that a test can cut and
 * restore: cut closes the listening socket and every relayed connection, as when the database's
 * host becomes unreachable, without touching the database other tests share.
 */
final class TcpRelay implements AutoCloseable {

    private final int targetPort;
    final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listening;

    private TcpRelay(int targetPort, int port) {
        this.targetPort = targetPort;
        this.port = port;
    }

    /** Relays a free local port to {@code 127.0.0.1:targetPort}. */
    static TcpRelay to(int targetPort) throws IOException {
        TcpRelay relay = new TcpRelay(targetPort, MarketProcess.freePort());
        relay.restore();
        return relay;
    }

    /** Listens (again) and relays every connection. */
    synchronized void restore() throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        listening = server;
        Thread acceptor = new Thread(() -> accept(server), "relay-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Stops listening and drops every relayed connection. */
    synchronized void cut() throws IOException {
        listening.close();
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket("127.0.0.1", targetPort);
                open.add(client);
                open.add(target);
                pump(client, target);
                pump(target, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ended) {
                // one side closed: close both
            } finally {
                close(from);
                close(to);
            }
        }, "relay-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
