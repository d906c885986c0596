package dev.onepg.app.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Set;

/**
 * The module boundaries README.md describes (section Modules) as ArchUnit rules, for a base package so that they can also be run against a
 * deliberately wrong fixture to prove that each of them can fail.
 *
 * <p>Below the base package: {@code eventstore} is the framework-free core and {@code eventstore.postgres} and
 * {@code eventstore.kafka} its adapters; {@code db.jooq.<schema>} holds the generated classes of each schema; {@code platform} is the wiring every deployable shares and {@code app} the monolith's own;
 * {@code contracts} holds generated API types; every other direct sub-package is a domain, whose schema has its
 * name.
 */
record ArchitectureRules(String base) {

    private static final Set<String> PLATFORM_PACKAGES = Set.of("eventstore", "db", "app", "platform", "contracts");

    String eventstore() {
        return base + ".eventstore";
    }

    String eventstorePostgres() {
        return base + ".eventstore.postgres";
    }

    String eventstoreKafka() {
        return base + ".eventstore.kafka";
    }

    private String[] eventstoreAdapters() {
        return new String[] {eventstorePostgres() + "..", eventstoreKafka() + ".."};
    }

    String jooq() {
        return base + ".db.jooq";
    }

    String[] domainPackages(List<String> domains) {
        return domains.stream().map(domain -> base + "." + domain + "..").toArray(String[]::new);
    }

    ArchRule coreIsFrameworkFree() {
        return classes()
                .that()
                .resideInAPackage(eventstore() + "..")
                .and()
                .resideOutsideOfPackages(eventstoreAdapters())
                .should()
                .onlyDependOnClassesThat(resideInAnyPackage("java..", "org.jspecify..")
                        .or(resideInAPackage(eventstore() + "..").and(not(resideInAnyPackage(eventstoreAdapters())))))
                .as("the event store core depends on the JDK and itself only");
    }

    ArchRule domainsDoNotReachIntoTheEventStoreAdapterOrTheApplication(List<String> domains) {
        return noClasses()
                .that()
                .resideInAnyPackage(domainPackages(domains))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(eventstorePostgres() + "..", eventstoreKafka() + "..", base + ".app..")
                .as("a domain reaches the event store through the core's ports only");
    }

    ArchRule domainsDoNotDependOnEachOther(List<String> domains) {
        List<ArchRule> rules = domains.stream()
                .map(domain -> (ArchRule) noClasses()
                        .that()
                        .resideInAPackage(base + "." + domain + "..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(domainPackages(domains.stream()
                                .filter(other -> !other.equals(domain))
                                .toList()))
                        .allowEmptyShould(true))
                .toList();
        return CompositeArchRule.of(rules).as("a domain never depends on another domain");
    }

    ArchRule domainsUseOnlyTheirOwnSchema(List<String> domains) {
        return classes()
                .that()
                .resideInAnyPackage(domainPackages(domains))
                .should(useOnlyTheJooqClassesOfTheirOwnSchema())
                .as("a domain touches only its own schema's generated jOOQ classes");
    }

    ArchRule onlyPersistenceAdaptersUseJooq(List<String> domains) {
        return noClasses()
                .that()
                .resideInAnyPackage(domainPackages(domains))
                .and()
                .resideOutsideOfPackage("..adapter.out.persistence..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.jooq..", jooq() + "..")
                .as("within a domain, only the persistence adapter uses jOOQ");
    }

    ArchRule inboundAdaptersUseOnlyTheApplicationsInPorts(List<String> domains) {
        return noClasses()
                .that()
                .resideInAnyPackage(within(domains, ".adapter.in.."))
                .should()
                .dependOnClassesThat(resideInAnyPackage(within(domains, ".application.."))
                        .and(not(resideInAnyPackage(within(domains, ".application.port.in..")))))
                .as("an inbound adapter uses only the application's in-ports");
    }

    ArchRule applicationNeverUsesAdapters(List<String> domains) {
        return noClasses()
                .that()
                .resideInAnyPackage(within(domains, ".application.."))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(within(domains, ".adapter.."))
                .as("the application never uses an adapter");
    }

    private String[] within(List<String> domains, String subPackage) {
        return domains.stream().map(domain -> base + "." + domain + subPackage).toArray(String[]::new);
    }

    ArchRule domainLogicIsPure() {
        return noClasses()
                .that()
                .resideInAPackage(base + ".*.domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "org.jooq..",
                        "jakarta..",
                        "tools.jackson..",
                        "com.fasterxml.jackson..",
                        jooq() + "..",
                        base + ".contracts..")
                .as("domain logic imports neither Spring, jOOQ nor web types");
    }

    ArchRule noCyclesBetweenPackages() {
        return slices().matching(base + ".(**)")
                .should()
                .beFreeOfCycles()
                // Generated jOOQ code has cycles of its own (tables and keys refer to each other).
                .ignoreDependency(resideInAPackage(jooq() + ".."), alwaysTrue())
                .as("no cycles between packages");
    }

    private ArchCondition<JavaClass> useOnlyTheJooqClassesOfTheirOwnSchema() {
        String jooqPrefix = jooq() + ".";
        return new ArchCondition<>("use only the jOOQ classes of their own schema") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                String domain = domainOf(javaClass);
                for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                    String target = dependency.getTargetClass().getPackageName();
                    if (!target.startsWith(jooqPrefix)) {
                        continue;
                    }
                    String schema = target.substring(jooqPrefix.length()).split("\\.")[0];
                    if (!schema.equals(domain)) {
                        events.add(SimpleConditionEvent.violated(
                                dependency, dependency.getDescription() + " (schema '" + schema + "')"));
                    }
                }
            }
        };
    }

    private String domainOf(JavaClass javaClass) {
        String relative = javaClass.getPackageName().substring(base.length() + 1);
        return relative.split("\\.")[0];
    }

    static boolean isPlatformPackage(String name) {
        return PLATFORM_PACKAGES.contains(name);
    }
}
