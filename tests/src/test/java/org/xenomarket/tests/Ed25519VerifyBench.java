package org.xenomarket.tests;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.UsageRecordSigner;

/**
 * The ceiling that Ed25519 verification puts on usage ingestion: complete verifications per second
 * of signed usage records, JDK (SunEC) beside BouncyCastle, on one thread and on one thread per core.
 * Not a test; from {@code tests/} run {@code ../mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.xenomarket.tests.Ed25519VerifyBench -Dexec.args=20000}.
 */
public final class Ed25519VerifyBench {

    private record Signed(byte[] message, byte[] signature) {
    }

    private Ed25519VerifyBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        KeyPair key = NodeKeys.generate();
        UsageRecordSigner signer = new UsageRecordSigner(key.getPrivate());
        List<Signed> signed = new ArrayList<>(records);
        java.time.Instant start = java.time.Instant.parse("2026-11-25T10:00:00Z");
        for (int i = 0; i < records; i++) {
            UsageRecord r = signer.sign(new UsageStatement("0192f6a8-5b1c-7d3e-8f00-000000000001", i + 1,
                    "0192f6a8-5b1c-7d3e-8f00-000000000002", new Interval(start.plusMillis(i), start.plusMillis(i + 1)),
                    new Usage(1_000, 1, 10, 20, 30, 40)));
            signed.add(new Signed(CanonicalEncoding.encode(r.statement()), r.signature().bytes()));
        }
        PublicKey jdkKey = key.getPublic();
        // The raw 32-byte key is the tail of the X.509 encoding.
        byte[] x509 = jdkKey.getEncoded();
        byte[] raw = java.util.Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        Ed25519PublicKeyParameters bcKey = new Ed25519PublicKeyParameters(raw, 0);

        Predicate<Signed> jdk = s -> {
            try {
                java.security.Signature v = java.security.Signature.getInstance("Ed25519");
                v.initVerify(jdkKey);
                v.update(s.message());
                return v.verify(s.signature());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        };
        Predicate<Signed> bc = s -> {
            Ed25519Signer v = new Ed25519Signer();
            v.init(false, bcKey);
            v.update(s.message(), 0, s.message().length);
            return v.verifySignature(s.signature());
        };
        int cores = Runtime.getRuntime().availableProcessors();
        for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up; the last one counts
            boolean last = round == 2;
            report(last, "JDK Ed25519, 1 thread", run(signed, jdk, 1));
            report(last, "BouncyCastle Ed25519, 1 thread", run(signed, bc, 1));
            report(last, "JDK Ed25519, " + cores + " threads", run(signed, jdk, cores));
            report(last, "BouncyCastle Ed25519, " + cores + " threads", run(signed, bc, cores));
        }
    }

    private static void report(boolean print, String what, double perSecond) {
        if (print) {
            System.out.printf("%-36s %,10.0f verifies/s%n", what, perSecond);
        }
    }

    private static double run(List<Signed> signed, Predicate<Signed> verifier, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long began = System.nanoTime();
            List<Future<Integer>> parts = new ArrayList<>();
            int chunk = (signed.size() + threads - 1) / threads;
            for (int from = 0; from < signed.size(); from += chunk) {
                List<Signed> part = signed.subList(from, Math.min(signed.size(), from + chunk));
                parts.add(pool.submit(() -> (int) part.stream().filter(verifier).count()));
            }
            int valid = 0;
            for (Future<Integer> part : parts) {
                valid += part.get();
            }
            if (valid != signed.size()) {
                throw new IllegalStateException("only " + valid + " of " + signed.size() + " verified");
            }
            return signed.size() / ((System.nanoTime() - began) / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}
