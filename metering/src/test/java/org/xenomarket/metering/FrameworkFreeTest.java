package org.xenomarket.metering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Metering is embedded by both the node agent and the market and needs nothing beyond the JDK
 * (see its pom): it must not depend on any framework, nor on either of its users.
 */
@AnalyzeClasses(packages = "org.xenomarket.metering", importOptions = ImportOption.DoNotIncludeTests.class)
class FrameworkFreeTest {

    @ArchTest
    static final ArchRule dependsOnNoFramework = noClasses()
            .that().resideInAPackage("org.xenomarket.metering..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.quarkus..", "jakarta..", "javax.enterprise..", "javax.inject..", "javax.persistence..",
                    "javax.ws.rs..", "io.vertx..", "io.smallrye..", "io.netty..", "org.hibernate..",
                    "org.jboss..", "org.eclipse.microprofile..", "org.springframework..", "com.fasterxml..",
                    "org.xenomarket.market..", "org.xenomarket.vmm..")
            .because("metering is a JDK-only library the agent and the market both embed (issue 13, item 5)");
}
