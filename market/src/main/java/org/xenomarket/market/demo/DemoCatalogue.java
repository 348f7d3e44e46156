package org.xenomarket.market.demo;

import java.util.List;
import org.xenomarket.market.server.Hypervisor;

/**
 * The demo's world: sites in three regions, providers with servers there, two sponsors and an
 * operator. Demo tokens are fixed so the README's walk-through can use them as written; they
 * are stored hashed like any other token and exist only where the demo was started.
 */
final class DemoCatalogue {

    record DemoSite(String code, String region, String city, String country, double latitude,
                    double longitude, String timeZone) {
    }

    record DemoServer(String name, String site, int vcpus, long memoryMib, long diskGib, long egressMbps,
                      Hypervisor hypervisor, String floorVcpuHour) {
    }

    record DemoAccount(String name, String kind, String role, String token, List<DemoServer> servers) {
    }

    static final List<DemoSite> SITES = List.of(
            new DemoSite("cam-1", "eu-west", "Cambridge", "GB", 52.2053, 0.1218, "Europe/London"),
            new DemoSite("ams-1", "eu-west", "Amsterdam", "NL", 52.3676, 4.9041, "Europe/Amsterdam"),
            new DemoSite("fra-1", "eu-west", "Frankfurt", "DE", 50.1109, 8.6821, "Europe/Berlin"),
            new DemoSite("nyc-1", "us-east", "New York", "US", 40.7128, -74.0060, "America/New_York"),
            new DemoSite("iad-1", "us-east", "Ashburn", "US", 39.0438, -77.4874, "America/New_York"),
            new DemoSite("sin-1", "ap-south", "Singapore", "SG", 1.3521, 103.8198, "Asia/Singapore"),
            new DemoSite("syd-1", "ap-south", "Sydney", "AU", -33.8688, 151.2093, "Australia/Sydney"));

    static final List<DemoAccount> ACCOUNTS = List.of(
            new DemoAccount("Fenland Compute", "PROVIDER", "provider", "xm_demo_provider_fenland", List.of(
                    new DemoServer("fen-cam-a", "cam-1", 16, 65536, 1000, 1000, Hypervisor.KVM, "0.010000"),
                    new DemoServer("fen-cam-b", "cam-1", 8, 32768, 500, 1000, Hypervisor.XEN, "0.010000"),
                    new DemoServer("fen-ams-a", "ams-1", 32, 131072, 2000, 10000, Hypervisor.KVM, "0.012000"))),
            new DemoAccount("Rhein Hosting", "PROVIDER", "provider", "xm_demo_provider_rhein", List.of(
                    new DemoServer("rhein-fra-a", "fra-1", 64, 262144, 4000, 10000, Hypervisor.KVM, "0.008000"),
                    new DemoServer("rhein-fra-b", "fra-1", 4, 8192, 200, 1000, Hypervisor.QEMU, "0.015000"))),
            new DemoAccount("Hudson Racks", "PROVIDER", "provider", "xm_demo_provider_hudson", List.of(
                    new DemoServer("hud-nyc-a", "nyc-1", 32, 131072, 2000, 10000, Hypervisor.XEN, "0.009000"),
                    new DemoServer("hud-iad-a", "iad-1", 64, 262144, 8000, 25000, Hypervisor.KVM, "0.007000"))),
            new DemoAccount("Straits Cloud", "PROVIDER", "provider", "xm_demo_provider_straits", List.of(
                    new DemoServer("str-sin-a", "sin-1", 16, 65536, 1000, 5000, Hypervisor.KVM, "0.014000"),
                    new DemoServer("str-syd-a", "syd-1", 8, 32768, 500, 1000, Hypervisor.KVM, "0.016000"))),
            new DemoAccount("Acme Sensors", "SPONSOR", "sponsor", "xm_demo_sponsor_acme", List.of()),
            new DemoAccount("Globex Games", "SPONSOR", "sponsor", "xm_demo_sponsor_globex", List.of()),
            new DemoAccount("XenoMarket Operations", "OPERATOR", "operator", "xm_demo_operator", List.of()),
            new DemoAccount("XenoMarket Finance", "OPERATOR", "finance", "xm_demo_finance", List.of()));

    private DemoCatalogue() {
    }
}
