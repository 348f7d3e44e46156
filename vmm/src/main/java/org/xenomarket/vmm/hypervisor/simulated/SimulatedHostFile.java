package org.xenomarket.vmm.hypervisor.simulated;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.xenomarket.metering.storage.DurableFile;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.PciAddress;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.image.ImageRef;

/**
 * The simulated host's guests, kept in a file so that they outlive the agent process the way
 * libvirt domains do: a node agent killed and restarted over the simulated driver finds its
 * guests again and adopts them. Each guest's start instant is kept too, so a reloaded guest's
 * counters go on from where a guest running all along would be (at the default load).
 */
final class SimulatedHostFile {

    private final Path file;

    SimulatedHostFile(Path file) {
        this.file = file;
    }

    /** A guest as kept in the file: its spec and when it started (null in files written before that was kept). */
    record Entry(GuestSpec spec, java.time.Instant startedAt, boolean paused, java.time.Instant preemptionNotice,
                 SimulatedGuest.Counters resumedAt) {

        Entry(GuestSpec spec, java.time.Instant startedAt) {
            this(spec, startedAt, false, null, null);
        }

        Entry(GuestSpec spec, java.time.Instant startedAt, boolean paused, java.time.Instant preemptionNotice) {
            this(spec, startedAt, paused, preemptionNotice, null);
        }
    }

    List<Entry> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulated host file " + file, e);
        }
        List<Entry> entries = new ArrayList<>();
        int count = Integer.parseInt(properties.getProperty("guests", "0"));
        for (int i = 0; i < count; i++) {
            String started = properties.getProperty("guest." + i + ".started-at");
            String notice = properties.getProperty("guest." + i + ".preemption-notice");
            String resumedAt = properties.getProperty("guest." + i + ".resumed-at-counters");
            entries.add(new Entry(spec(properties, "guest." + i + "."),
                    started == null ? null : java.time.Instant.parse(started),
                    "PAUSED".equals(properties.getProperty("guest." + i + ".state")),
                    notice == null ? null : java.time.Instant.parse(notice),
                    resumedAt == null ? null : SimulatedGuest.Counters.parse(resumedAt)));
        }
        return entries;
    }

    void save(Collection<Entry> entries) {
        Properties properties = new Properties();
        properties.setProperty("guests", Integer.toString(entries.size()));
        int i = 0;
        for (Entry entry : entries) {
            properties.setProperty("guest." + i + ".started-at", entry.startedAt().toString());
            properties.setProperty("guest." + i + ".state", entry.paused() ? "PAUSED" : "RUNNING");
            if (entry.preemptionNotice() != null) {
                properties.setProperty("guest." + i + ".preemption-notice", entry.preemptionNotice().toString());
            }
            if (entry.resumedAt() != null) {
                properties.setProperty("guest." + i + ".resumed-at-counters", entry.resumedAt().toString());
            }
            put(properties, "guest." + i++ + ".", entry.spec());
        }
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "XenoMarket simulated host: its running guests");
            Files.createDirectories(file.toAbsolutePath().getParent());
            DurableFile.replace(file.toAbsolutePath(), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the simulated host file " + file, e);
        }
    }

    static void put(Properties p, String prefix, GuestSpec spec) {
        p.setProperty(prefix + "lease", spec.lease().value());
        p.setProperty(prefix + "vcpus", Integer.toString(spec.vcpus()));
        p.setProperty(prefix + "memory-mib", Integer.toString(spec.memoryMib()));
        p.setProperty(prefix + "cpu-quota", Integer.toString(spec.cpuQuotaPercent()));
        p.setProperty(prefix + "disk", spec.disk().sizeGib() + "," + spec.disk().readBytesPerSec() + ","
                + spec.disk().writeBytesPerSec() + "," + spec.disk().iopsPerSec());
        p.setProperty(prefix + "network", spec.network().ingressMbit() + "," + spec.network().egressMbit());
        if (!spec.passthrough().isEmpty()) {
            p.setProperty(prefix + "passthrough", String.join(",",
                    spec.passthrough().stream().map(Object::toString).toList()));
        }
        if (spec.boot() instanceof BootImage.Kernel kernel) {
            p.setProperty(prefix + "kernel", image(kernel.kernel()));
            p.setProperty(prefix + "initrd", image(kernel.initrd()));
            p.setProperty(prefix + "cmdline", kernel.commandLine());
        } else if (spec.boot() instanceof BootImage.Disk disk) {
            p.setProperty(prefix + "disk-image", image(disk.image()));
            p.setProperty(prefix + "disk-format", disk.format().name());
        }
    }

    static GuestSpec spec(Properties p, String prefix) {
        String[] disk = p.getProperty(prefix + "disk").split(",");
        String[] network = p.getProperty(prefix + "network").split(",");
        BootImage boot = p.containsKey(prefix + "kernel")
                ? new BootImage.Kernel(image(p.getProperty(prefix + "kernel")), image(p.getProperty(prefix + "initrd")),
                        p.getProperty(prefix + "cmdline"))
                : new BootImage.Disk(image(p.getProperty(prefix + "disk-image")),
                        BootImage.DiskFormat.valueOf(p.getProperty(prefix + "disk-format")));
        return new GuestSpec(LeaseId.of(p.getProperty(prefix + "lease")),
                Integer.parseInt(p.getProperty(prefix + "vcpus")),
                Integer.parseInt(p.getProperty(prefix + "memory-mib")),
                Integer.parseInt(p.getProperty(prefix + "cpu-quota")),
                new DiskSpec(Integer.parseInt(disk[0]), Long.parseLong(disk[1]), Long.parseLong(disk[2]),
                        Long.parseLong(disk[3])),
                new NetworkLimits(Integer.parseInt(network[0]), Integer.parseInt(network[1])), boot,
                p.containsKey(prefix + "passthrough") ? java.util.Arrays.stream(
                        p.getProperty(prefix + "passthrough").split(",")).map(PciAddress::parse).toList()
                        : java.util.List.of());
    }

    private static String image(ImageRef ref) {
        return ref.sha256() + " " + ref.path();
    }

    private static ImageRef image(String text) {
        int space = text.indexOf(' ');
        return new ImageRef(Path.of(text.substring(space + 1)), text.substring(0, space));
    }
}
