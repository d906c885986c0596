package dev.onepg.app.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of README.md (section Modules) hold in the production code of every module. */
class ArchitectureTest {

    private static final ArchitectureRules rules = new ArchitectureRules("dev.onepg");
    private static JavaClasses classes;
    private static List<String> domains;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.onepg");
        domains = Domains.of(classes, "dev.onepg");
    }

    @Test
    void findsTheDomains() {
        assertThat(domains).contains("users");
    }

    @Test
    void eventStoreCoreIsFrameworkFree() {
        rules.coreIsFrameworkFree().check(classes);
    }

    @Test
    void domainsReachTheEventStoreThroughItsPortsOnly() {
        rules.domainsDoNotReachIntoTheEventStoreAdapterOrTheApplication(domains)
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void domainsDoNotDependOnEachOther() {
        rules.domainsDoNotDependOnEachOther(domains).allowEmptyShould(true).check(classes);
    }

    @Test
    void domainsUseOnlyTheirOwnSchema() {
        rules.domainsUseOnlyTheirOwnSchema(domains).allowEmptyShould(true).check(classes);
    }

    @Test
    void onlyPersistenceAdaptersUseJooq() {
        rules.onlyPersistenceAdaptersUseJooq(domains).allowEmptyShould(true).check(classes);
    }

    @Test
    void inboundAdaptersUseOnlyTheApplicationsInPorts() {
        rules.inboundAdaptersUseOnlyTheApplicationsInPorts(domains)
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void applicationNeverUsesAdapters() {
        rules.applicationNeverUsesAdapters(domains).allowEmptyShould(true).check(classes);
    }

    @Test
    void domainLogicIsPure() {
        rules.domainLogicIsPure().allowEmptyShould(true).check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        rules.noCyclesBetweenPackages().check(classes);
    }
}
