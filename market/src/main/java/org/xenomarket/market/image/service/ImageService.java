package org.xenomarket.market.image.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.image.Image;
import org.xenomarket.market.image.ImageReference;
import org.xenomarket.market.image.NewImage;
import org.xenomarket.market.image.repository.ImageRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;

/** The image catalogue: operators add images; everyone may read them; bids name them. */
@ApplicationScoped
public class ImageService {

    private static final Logger LOG = Logger.getLogger(ImageService.class);

    private final ImageRepository images;
    private final Clock clock;
    private final AuditLog audit;

    public ImageService(ImageRepository images, Clock clock, AuditLog audit) {
        this.images = images;
        this.clock = clock;
        this.audit = audit;
    }

    /** Adds an image to the catalogue; audited as {@code image.added}. */
    @WithTransaction
    public Uni<Image> create(Actor actor, NewImage request) {
        UUID operatorId = actor.accountId();
        Image image = toImage(operatorId, request);
        return images.findByName(image.name).chain(existing -> {
            if (existing != null) {
                throw new Conflict("name", "an image named '" + image.name + "' exists; images are immutable, "
                        + "add a new name for a new version");
            }
            LOG.infof("Image %s (%s) added to the catalogue by %s", image.name, image.kind, operatorId);
            return images.persist(image).call(saved -> audit.record(actor, "image.added", "image",
                    saved.id.toString(), null, saved.name, String.valueOf(saved.kind)));
        });
    }

    @WithSession
    public Uni<List<Image>> list() {
        return images.listAllByName();
    }

    @WithSession
    public Uni<Image> get(UUID id) {
        return images.findById(id).onItem().ifNull().failWith(() -> new NotFound("image", id));
    }

    /**
     * The id of the image a bid names, by name, by id, or by content as {@code sha256:<hex>} (the
     * SHA-256 of its disk, or of its kernel); null when it names none. An image the catalogue does not
     * hold is refused on {@code field}. Callers run it inside a session.
     */
    public Uni<UUID> idOf(String field, String reference) {
        if (reference == null || reference.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        ImageReference ref;
        try {
            ref = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(field, e.getMessage());
        }
        Uni<Image> found = switch (ref.kind()) {
            case ID -> images.findById(UUID.fromString(ref.value()));
            case SHA256 -> images.findByContent(ref.value());
            case NAME -> images.findByName(ref.value());
        };
        return found.map(image -> {
            if (image == null) {
                throw new InvalidInput(field, "there is no image " + ref.describe() + " in the catalogue");
            }
            return image.id;
        });
    }

    private Image toImage(UUID operatorId, NewImage request) {
        boolean kernel = request.kernel() != null || request.initrd() != null;
        boolean disk = request.disk() != null;
        if (kernel == disk) {
            throw new InvalidInput(disk ? "disk" : "kernel",
                    "give either kernel and initrd (with an optional cmdline) or disk with diskFormat, not both or neither");
        }
        Image image = new Image();
        image.id = TimeOrderedId.next();
        image.name = request.name();
        image.createdBy = operatorId;
        image.createdAt = clock.instant();
        if (kernel) {
            if (request.kernel() == null) {
                throw new InvalidInput("kernel", "is required with an initrd");
            }
            if (request.initrd() == null) {
                throw new InvalidInput("initrd", "is required with a kernel");
            }
            if (request.diskFormat() != null) {
                throw new InvalidInput("diskFormat", "is for disk images only");
            }
            image.kind = Image.Kind.KERNEL;
            image.kernelUrl = request.kernel().url();
            image.kernelSha256 = request.kernel().sha256();
            image.initrdUrl = request.initrd().url();
            image.initrdSha256 = request.initrd().sha256();
            image.kernelSizeBytes = request.kernel().sizeBytes();
            image.initrdSizeBytes = request.initrd().sizeBytes();
            image.cmdline = request.cmdline() == null ? "console=ttyS0" : request.cmdline();
        } else {
            if (request.diskFormat() == null) {
                throw new InvalidInput("diskFormat", "is required with a disk: raw or qcow2");
            }
            if (request.cmdline() != null) {
                throw new InvalidInput("cmdline", "is for kernel images only");
            }
            image.kind = Image.Kind.DISK;
            image.diskUrl = request.disk().url();
            image.diskSha256 = request.disk().sha256();
            image.diskSizeBytes = request.disk().sizeBytes();
            image.diskFormat = request.diskFormat().toUpperCase(Locale.ROOT);
        }
        return image;
    }
}
