package org.xenomarket.market.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.ws.rs.Path;

/**
 * The market's layers, checked on its compiled classes: services and repositories speak the
 * domain and know nothing of the wire, and resources reach storage only through services.
 */
@AnalyzeClasses(packages = "org.xenomarket.market", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {

    @ArchTest
    static final ArchRule servicesAndRepositoriesDoNotKnowTheWire = noClasses()
            .that().resideInAnyPackage("..service..", "..repository..")
            .should().dependOnClassesThat().resideInAPackage("..rest..")
            .because("requests and views are mapped to and from domain types in each concept's rest package");

    @ArchTest
    static final ArchRule resourcesDoNotReachRepositories = noClasses()
            .that().resideInAPackage("..rest..").and().areAnnotatedWith(Path.class)
            .should().dependOnClassesThat().resideInAPackage("..repository..")
            .because("a resource speaks HTTP and calls one service method per request");
}
