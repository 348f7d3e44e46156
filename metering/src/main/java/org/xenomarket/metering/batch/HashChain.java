package org.xenomarket.metering.batch;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.UsageStatement;

/**
 * The SHA-256 hash chain over a batch's records, in sequence order:
 *
 * <pre>
 * recordHash(r) = SHA-256(canonical encoding of r's statement)          (CanonicalEncoding, "XMUR" v1)
 * link(0)       = 32 zero bytes                                          (the chain's start)
 * link(i)       = SHA-256(link(i-1) || recordHash(r_i))
 * head          = link(n)
 * </pre>
 *
 * Record {@code i} names {@code link(i-1)} as its {@code previous}; the batch signature covers the
 * head, so it commits to every record's content, place and count. The record hashes, not the
 * links, are what a stored record is proven by on its own: its hash is found in the batch's list
 * of record hashes, the list folds into the signed head (see {@link #fold}).
 *
 * <p>Not thread-safe: one chain per batch being built or checked.
 */
public final class HashChain {

    /** Length of every hash here (SHA-256). */
    public static final int HASH_LENGTH = 32;

    private final MessageDigest sha256;
    private byte[] link = start();

    public HashChain() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("every JVM has SHA-256", missing);
        }
    }

    /** The link before the first record of a batch. */
    public static byte[] start() {
        return new byte[HASH_LENGTH];
    }

    /** The hash of one record's signed content. */
    public byte[] recordHash(UsageStatement statement) {
        return sha256.digest(CanonicalEncoding.encode(statement));
    }

    /** Appends a record by its hash; answers the new link (the chain's head so far). */
    public byte[] append(byte[] recordHash) {
        sha256.update(link);
        sha256.update(recordHash);
        link = sha256.digest();
        return link.clone();
    }

    /** The link of the last record appended, or the start. */
    public byte[] head() {
        return link.clone();
    }

    /** The head of the chain over {@code recordHashes}: a batch's concatenated record hashes, as stored. */
    public static byte[] fold(byte[] recordHashes) {
        if (recordHashes.length % HASH_LENGTH != 0) {
            throw new IllegalArgumentException("record hashes must be a multiple of " + HASH_LENGTH + " bytes");
        }
        HashChain chain = new HashChain();
        byte[] one = new byte[HASH_LENGTH];
        for (int at = 0; at < recordHashes.length; at += HASH_LENGTH) {
            System.arraycopy(recordHashes, at, one, 0, HASH_LENGTH);
            chain.append(one);
        }
        return chain.head();
    }
}
