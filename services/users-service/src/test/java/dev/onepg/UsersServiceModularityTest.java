package dev.onepg;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Spring Modulith's view of the extracted service: the platform, the users domain and the event store, no app. */
class UsersServiceModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(
            UsersServiceApplication.class,
            // The platform's test support (test databases, callers) comes with its test jar; it is no production code.
            JavaClass.Predicates.resideInAPackage("dev.onepg.platform.testing.."));

    @Test
    void modulesOnlyUseWhatTheyAreAllowedTo() {
        modules.verify();
    }

    @Test
    void holdsThePlatformAndTheUsersDomainAndNothingOfTheMonolith() {
        assertThat(modules.stream().map(module -> module.getBasePackage().getName()))
                .contains("dev.onepg.platform", "dev.onepg.users", "dev.onepg.eventstore")
                .doesNotContain("dev.onepg.app");
    }
}
