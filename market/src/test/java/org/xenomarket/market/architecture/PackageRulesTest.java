package org.xenomarket.market.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;

/**
 * The market's package rules, checked on its main classes: its concept packages form no cycle, and
 * query text lives only in repositories. See docs/architecture.md ("Packages and their rules").
 */
@AnalyzeClasses(packages = "org.xenomarket.market", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {

    /** Each top-level package of the market is one concept (bid, server, clearing, placement, ...). */
    @ArchTest
    static final ArchRule conceptPackagesFormNoCycle = slices()
            .matching("org.xenomarket.market.(*)..")
            .namingSlices("$1")
            .should().beFreeOfCycles();

    /**
     * Query text (HQL, SQL) is written in repositories only: classes in a {@code repository} package,
     * or named {@code ...Repository} (capacity's CapacityRepository). The one exception is the
     * {@code database} package, whose bootstrap creates the database over JDBC before Hibernate starts.
     */
    @ArchTest
    static final ArchRule queryTextOnlyInRepositories = noClasses()
            .that().resideOutsideOfPackages("..repository..", "org.xenomarket.market.database..")
            .and().haveSimpleNameNotEndingWith("Repository")
            .should().callMethodWhere(QueryCall.WITH_QUERY_TEXT)
            .because("a query belongs in a named repository method, where a reader of the data model finds it");

    /** A call that hands query text to Panache, Hibernate Reactive, the Vert.x SQL client or JDBC. */
    private static final class QueryCall {

        /** Panache methods whose first String argument is a query (HQL, its short form, or a named query). */
        private static final Set<String> PANACHE_QUERY_METHODS = Set.of("find", "list", "stream", "update", "delete",
                "count", "exists");
        private static final List<String> PANACHE_TYPES = List.of(
                "io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase",
                "io.quarkus.hibernate.reactive.panache.PanacheEntityBase",
                "io.quarkus.hibernate.orm.panache.PanacheRepositoryBase",
                "io.quarkus.hibernate.orm.panache.PanacheEntityBase");
        private static final List<String> SESSION_TYPES = List.of(
                "org.hibernate.reactive.mutiny.Mutiny$Session",
                "org.hibernate.reactive.mutiny.Mutiny$StatelessSession",
                "org.hibernate.reactive.mutiny.Mutiny$QueryProducer",
                "jakarta.persistence.EntityManager",
                "org.hibernate.query.QueryProducer");
        private static final List<String> SQL_CLIENT_TYPES = List.of(
                "io.vertx.mutiny.sqlclient.SqlClient",
                "io.vertx.sqlclient.SqlClient");
        private static final List<String> JDBC_TYPES = List.of("java.sql.Connection", "java.sql.Statement");

        static final DescribedPredicate<JavaMethodCall> WITH_QUERY_TEXT = DescribedPredicate.describe(
                "a query method given query text (Panache find/list/update/... with a String, Session.create*Query,"
                        + " SqlClient.query/preparedQuery, JDBC prepareStatement/execute*)",
                QueryCall::passesQueryText);

        private static boolean passesQueryText(JavaMethodCall call) {
            JavaClass owner = call.getTargetOwner();
            String name = call.getName();
            List<JavaClass> parameters = call.getTarget().getRawParameterTypes();
            boolean textFirst = !parameters.isEmpty() && parameters.get(0).isEquivalentTo(String.class);
            if (isAny(owner, PANACHE_TYPES)) {
                return PANACHE_QUERY_METHODS.contains(name) && textFirst;
            }
            if (isAny(owner, SESSION_TYPES)) {
                return name.startsWith("create") && name.endsWith("Query") && textFirst;
            }
            if (isAny(owner, SQL_CLIENT_TYPES)) {
                return name.equals("query") || name.equals("preparedQuery");
            }
            if (isAny(owner, JDBC_TYPES)) {
                return textFirst && (name.startsWith("prepare") || name.startsWith("execute") || name.equals("addBatch"));
            }
            return false;
        }

        private static boolean isAny(JavaClass owner, List<String> typeNames) {
            return typeNames.stream().anyMatch(owner::isAssignableTo);
        }
    }
}
