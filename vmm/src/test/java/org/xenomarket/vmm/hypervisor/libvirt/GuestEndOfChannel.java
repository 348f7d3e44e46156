package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The listening end of a notice channel socket, in place of the QEMU that binds it on a real
 * host: accepts the agent's connection and reads what a guest would read from its port.
 */
final class GuestEndOfChannel implements AutoCloseable {

    private final Path path;
    private final ServerSocketChannel server;
    private SocketChannel connection;
    private BufferedReader reader;
    private int accepted;

    private GuestEndOfChannel(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    static GuestEndOfChannel listen(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new GuestEndOfChannel(socket, server);
    }

    /** The next line the host wrote, accepting its connection first if need be. */
    String readLine() throws IOException {
        if (connection == null) {
            connection = server.accept();
            accepted++;
            reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(connection), StandardCharsets.UTF_8));
        }
        return reader.readLine();
    }

    /** How many host connections were accepted; one is read to its end before another is accepted. */
    int connectionsAccepted() throws IOException {
        server.configureBlocking(false);
        try (SocketChannel another = server.accept()) {
            return accepted + (another == null ? 0 : 1);
        } finally {
            server.configureBlocking(true);
        }
    }

    @Override
    public void close() throws IOException {
        if (connection != null) {
            connection.close();
        }
        server.close();
        Files.deleteIfExists(path);
    }
}
