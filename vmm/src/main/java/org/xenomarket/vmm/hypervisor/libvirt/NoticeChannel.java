package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xenomarket.vmm.hypervisor.LeaseId;

/**
 * The host end of every guest's notice channel: a line of JSON per notice, written into the
 * UNIX socket libvirt binds for the guest's {@value #NAME} port, e.g.
 * {@code {"event":"preempt-notice","lease":"...","end":"2026-11-25T15:00:00Z"}}.
 *
 * <p>The connection to a guest's socket stays open until the guest stops. QEMU hands the guest
 * what the host wrote only while the guest has the port open, and drops unread bytes when the
 * host side disconnects; held open, a notice waits in the socket until the guest reads it, so a
 * guest that opens the port late still gets it. Only one host connection per port is possible.
 */
final class NoticeChannel implements AutoCloseable {

    /** The port's name: {@code /dev/virtio-ports/org.xenomarket.notice.0} in a KVM or QEMU guest. */
    static final String NAME = "org.xenomarket.notice.0";

    private final Map<LeaseId, SocketChannel> connections = new ConcurrentHashMap<>();

    /** The line a pre-emption notice is. */
    static String preemptionLine(LeaseId lease, Instant end) {
        // Lease ids and instants need no JSON escaping: ids are [A-Za-z0-9._-], instants ISO-8601.
        return "{\"event\":\"preempt-notice\",\"lease\":\"" + lease.value() + "\",\"end\":\"" + end + "\"}\n";
    }

    /** Writes one line to the guest; a broken connection is dropped, so the next send connects afresh. */
    void send(LeaseId lease, Path socket, String line) throws IOException {
        SocketChannel connection = connections.get(lease);
        if (connection == null || !connection.isOpen()) {
            connection = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            connections.put(lease, connection);
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                connection.write(bytes);
            }
        } catch (IOException e) {
            disconnect(lease);
            throw e;
        }
    }

    /** Closes the connection to a guest that is stopping or gone. */
    void disconnect(LeaseId lease) {
        SocketChannel connection = connections.remove(lease);
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // Closing a socket of a guest that is going away; nothing is left to tell it.
            }
        }
    }

    @Override
    public void close() {
        connections.keySet().forEach(this::disconnect);
    }
}
