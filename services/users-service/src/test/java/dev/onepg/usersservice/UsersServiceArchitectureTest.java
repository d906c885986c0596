package dev.onepg.usersservice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries on the service's classpath: the platform knows no domain, the domain knows no platform, and the
 * modules form no cycle. The domain rules themselves are checked by the monolith's ArchitectureTest over the same
 * modules.
 */
class UsersServiceArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.onepg");
    }

    @Test
    void platformKnowsNoDomain() {
        noClasses()
                .that()
                .resideInAPackage("dev.onepg.platform..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.onepg.users..", "dev.onepg.app..")
                .check(classes);
    }

    @Test
    void domainKnowsNoPlatform() {
        noClasses()
                .that()
                .resideInAPackage("dev.onepg.users..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.onepg.platform..")
                .check(classes);
    }

    @Test
    void modulesAreFreeOfCycles() {
        slices().matching("dev.onepg.(*)..").should().beFreeOfCycles().check(classes);
    }
}
