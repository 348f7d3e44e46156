package org.xenomarket.pricing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The pricing rules are a plain library (Drools, its own library, and Jackson for the tables): the
 * market embeds it in-process and tools can run it alone, so it must not lean on the market's
 * application framework.
 */
@AnalyzeClasses(packages = "org.xenomarket.pricing", importOptions = ImportOption.DoNotIncludeTests.class)
class FrameworkFreeTest {

    @ArchTest
    static final ArchRule dependsOnNoApplicationFramework = noClasses()
            .that().resideInAPackage("org.xenomarket.pricing..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.quarkus..", "jakarta..", "javax.enterprise..", "javax.inject..", "javax.persistence..",
                    "javax.ws.rs..", "io.vertx..", "io.smallrye..", "io.netty..", "org.hibernate..",
                    "org.jboss..", "org.eclipse.microprofile..", "org.springframework..", "org.xenomarket.market..",
                    "org.xenomarket.vmm..")
            .because("pricing-rules is a plain library the market calls in-process (issue 13, item 5)");
}
