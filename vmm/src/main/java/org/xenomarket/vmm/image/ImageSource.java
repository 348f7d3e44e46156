package org.xenomarket.vmm.image;

/** Where a verified image file came from: this node's cache, another agent of its site, or its origin URL. */
public enum ImageSource {
    LOCAL_CACHE,
    SITE_PEER,
    ORIGIN;

    /** Whether the file came from a cache at this site rather than over the long haul. */
    public boolean warm() {
        return this != ORIGIN;
    }
}
