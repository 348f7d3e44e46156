package org.xenomarket.market.image;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A guest image in the catalogue: a kernel with its initrd and command line, or a bootable disk,
 * each file named by the URL node agents fetch it from and the SHA-256 they verify it against.
 */
@Entity
@Table(name = "image")
public class Image extends PanacheEntityBase {

    /** How an image boots. */
    public enum Kind {
        KERNEL,
        DISK
    }

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Column(name = "kernel_url")
    public String kernelUrl;

    @Column(name = "kernel_sha256")
    public String kernelSha256;

    @Column(name = "initrd_url")
    public String initrdUrl;

    @Column(name = "initrd_sha256")
    public String initrdSha256;

    public String cmdline;

    /** Sizes in bytes of the files, checked by agents with the SHA-256; null for images added without one. */
    @Column(name = "kernel_size_bytes")
    public Long kernelSizeBytes;

    @Column(name = "initrd_size_bytes")
    public Long initrdSizeBytes;

    @Column(name = "disk_size_bytes")
    public Long diskSizeBytes;

    @Column(name = "disk_url")
    public String diskUrl;

    @Column(name = "disk_sha256")
    public String diskSha256;

    /** RAW or QCOW2, for disk images. */
    @Column(name = "disk_format")
    public String diskFormat;

    @Column(name = "created_by", nullable = false)
    public UUID createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The SHA-256 of every file of the image: what a cache must hold for the image to be warm there. */
    public java.util.List<String> fileSha256s() {
        return kind == Kind.KERNEL ? java.util.List.of(kernelSha256, initrdSha256) : java.util.List.of(diskSha256);
    }
}
