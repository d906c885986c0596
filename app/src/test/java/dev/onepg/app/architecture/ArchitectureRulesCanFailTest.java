package dev.onepg.app.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every architecture rule reports the violation planted for it in the fixture. */
class ArchitectureRulesCanFailTest {

    private static final String FIXTURE = "dev.onepg.app.architecture.fixture";
    private static final ArchitectureRules rules = new ArchitectureRules(FIXTURE);
    private static JavaClasses fixture;
    private static List<String> domains;

    @BeforeAll
    static void importFixture() {
        fixture = new ClassFileImporter().importPackages(FIXTURE);
        domains = Domains.of(fixture, FIXTURE);
    }

    @Test
    void fixtureHasTwoDomains() {
        assertThat(domains).containsExactly("orders", "users");
    }

    @Test
    void coreUsingSpringOrItsAdapterIsReported() {
        assertViolation(rules.coreIsFrameworkFree(), "CoreUsingSpring", "org.springframework.stereotype.Component");
        assertViolation(rules.coreIsFrameworkFree(), "CoreUsingItsAdapter", "PostgresAdapter");
        assertViolation(rules.coreIsFrameworkFree(), "CoreUsingTheKafkaAdapter", "KafkaAdapter");
    }

    @Test
    void domainUsingTheEventStoreAdapterIsReported() {
        assertViolation(
                rules.domainsDoNotReachIntoTheEventStoreAdapterOrTheApplication(domains),
                "OrderServiceUsingTheStoreAdapter",
                "PostgresAdapter");
    }

    @Test
    void domainUsingAnotherDomainIsReported() {
        assertViolation(rules.domainsDoNotDependOnEachOther(domains), "OrderServiceUsingAnotherDomain", "UserService");
    }

    @Test
    void domainUsingAnotherSchemaIsReported() {
        assertViolation(rules.domainsUseOnlyTheirOwnSchema(domains), "JooqOrdersReadingUsers", "schema 'users'");
    }

    @Test
    void ownSchemaIsNotReported() {
        assertThatThrownBy(() -> rules.domainsUseOnlyTheirOwnSchema(domains).check(fixture))
                .message()
                .doesNotContain("schema 'orders'");
    }

    @Test
    void jooqOutsideThePersistenceAdapterIsReported() {
        assertViolation(rules.onlyPersistenceAdaptersUseJooq(domains), "OrderQueriesUsingJooq", "org.jooq.DSLContext");
    }

    @Test
    void inboundAdapterUsingTheApplicationBeyondItsInPortsIsReported() {
        assertViolation(
                rules.inboundAdaptersUseOnlyTheApplicationsInPorts(domains),
                "OrderControllerUsingAService",
                "OrderQueriesUsingJooq");
    }

    @Test
    void inboundAdapterUsingAnInPortIsNotReported() {
        assertThatThrownBy(() -> rules.inboundAdaptersUseOnlyTheApplicationsInPorts(domains)
                        .check(fixture))
                .message()
                .doesNotContain("OrderControllerUsingItsInPort");
    }

    @Test
    void applicationUsingAnAdapterIsReported() {
        assertViolation(
                rules.applicationNeverUsesAdapters(domains), "OrderServiceUsingAnAdapter", "JooqOrdersReadingUsers");
    }

    @Test
    void springInDomainLogicIsReported() {
        assertViolation(rules.domainLogicIsPure(), "OrderUsingSpring", "org.springframework.stereotype.Component");
    }

    @Test
    void packageCycleIsReported() {
        assertViolation(rules.noCyclesBetweenPackages(), "CycleA", "CycleB");
    }

    private static void assertViolation(ArchRule rule, String violator, String target) {
        assertThatThrownBy(() -> rule.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(violator)
                .hasMessageContaining(target);
    }
}
