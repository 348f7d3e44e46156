package org.xenomarket.market.image.rest;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.image.Image;

/** A catalogue image as the API shows it (and as node agents receive it in lease assignments). */
public record ImageView(UUID id, String name, Image.Kind kind, ImageFileJson kernel, ImageFileJson initrd,
                       String cmdline, ImageFileJson disk, String diskFormat, Instant createdAt) {

    public static ImageView of(Image image) {
        if (image == null) {
            return null;
        }
        return new ImageView(image.id, image.name, image.kind, file(image.kernelUrl, image.kernelSha256, image.kernelSizeBytes),
                file(image.initrdUrl, image.initrdSha256, image.initrdSizeBytes), image.cmdline, file(image.diskUrl, image.diskSha256, image.diskSizeBytes),
                image.diskFormat, image.createdAt);
    }

    private static ImageFileJson file(String url, String sha256, Long sizeBytes) {
        return url == null ? null : new ImageFileJson(url, sha256, sizeBytes);
    }
}
