package org.xenomarket.market.image.rest;

import org.xenomarket.market.image.NewImage;

/** Catalogue images between the wire and the domain. */
public final class ImageMapper {

    private ImageMapper() {
    }

    public static NewImage toNewImage(CreateImageRequest request) {
        return new NewImage(request.name(), file(request.kernel()), file(request.initrd()), request.cmdline(),
                file(request.disk()), request.diskFormat());
    }

    private static NewImage.File file(ImageFileJson json) {
        return json == null ? null : new NewImage.File(json.url(), json.sha256(), json.sizeBytes());
    }
}
