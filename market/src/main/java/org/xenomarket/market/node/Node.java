package org.xenomarket.market.node;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.server.Hypervisor;

/** The node agent of one server: its public key, the host it measured, and what its last heartbeat said. */
@Entity
@Table(name = "node")
public class Node extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "server_id", nullable = false)
    public UUID serverId;

    /** The node token the agent authenticates with; replaced when the agent registers again. */
    @Column(name = "token_id", nullable = false)
    public UUID tokenId;

    /** Base64 X.509 SubjectPublicKeyInfo of the node's Ed25519 key. */
    @Column(name = "public_key", nullable = false)
    public String publicKey;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Hypervisor hypervisor;

    @Column(name = "host_vcpus", nullable = false)
    public int hostVcpus;

    @Column(name = "host_memory_mib", nullable = false)
    public long hostMemoryMib;

    @Column(name = "host_disk_gib", nullable = false)
    public long hostDiskGib;

    @Column(name = "free_vcpus")
    public Integer freeVcpus;

    @Column(name = "free_memory_mib")
    public Long freeMemoryMib;

    @Column(name = "free_disk_gib")
    public Long freeDiskGib;

    @Column(name = "guests")
    public Integer guests;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    /** Where the agent serves its verified image cache to the other agents of its site; null: it serves none. */
    @Column(name = "image_peer_url")
    public String imagePeerUrl;

    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;
}
