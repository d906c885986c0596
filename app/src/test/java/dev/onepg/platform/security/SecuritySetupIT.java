package dev.onepg.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.onepg.OnePgApplication;
import dev.onepg.eventstore.postgres.testing.TestDatabase;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import dev.onepg.platform.testing.TestCallers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The built-in development users work on the embedded database; on a configured one the service refuses to start
 * without users unless an operator allows them, and jwt mode refuses to start without an issuer.
 */
class SecuritySetupIT {

    @TempDir
    Path workingDirectory;

    @Test
    void theDevelopmentUsersWorkOnTheEmbeddedDatabase() {
        try (ConfigurableApplicationContext service = start(
                "--spring.datasource.url=",
                "--onepg.embedded-database.data-directory=" + workingDirectory.resolve("postgres"),
                "--onepg.embedded-database.binaries-directory="
                        + Path.of(System.getProperty("java.io.tmpdir"), "onepg-test-postgres", "binaries"))) {
            RestTestClient http = client(service);

            TestCallers.dev(http)
                    .get()
                    .uri("/api/users")
                    .exchange()
                    .expectStatus()
                    .isOk();
            TestCallers.basic(http, "reader", "reader")
                    .post()
                    .uri("/api/users/{id}/events", UUID.randomUUID())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{}")
                    .exchange()
                    .expectStatus()
                    .isForbidden();
            http.get().uri("/api/users").exchange().expectStatus().isUnauthorized();
        }
    }

    @Test
    void refusesToStartOnAConfiguredDatabaseWithoutUsers() {
        Throwable failure = catchThrowable(() -> start(configuredDatabase()).close());

        assertThat(failure).rootCause().isInstanceOf(SecuritySetupIncomplete.class);
        FailureAnalysis analysis = new SecuritySetupFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription())
                .contains("no users are configured (onepg.security.users)")
                .contains("configured database (spring.datasource.url)");
        assertThat(analysis.getAction())
                .contains("onepg.security.users[0].name")
                .contains("onepg.security.mode=jwt")
                .contains("onepg.security.allow-default-users=true");
    }

    @Test
    void startsOnAConfiguredDatabaseWhenAnOperatorAllowsTheDevelopmentUsers() {
        List<String> arguments = new ArrayList<>(List.of(configuredDatabase()));
        arguments.add("--onepg.security.allow-default-users=true");

        try (ConfigurableApplicationContext service = start(arguments.toArray(String[]::new))) {
            TestCallers.dev(client(service))
                    .get()
                    .uri("/api/users")
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
    }

    @Test
    void refusesToStartInJwtModeWithoutAnIssuer() {
        List<String> arguments = new ArrayList<>(List.of(configuredDatabase()));
        arguments.add("--onepg.security.mode=jwt");

        Throwable failure =
                catchThrowable(() -> start(arguments.toArray(String[]::new)).close());

        assertThat(failure).rootCause().isInstanceOf(SecuritySetupIncomplete.class);
        assertThat(new SecuritySetupFailureAnalyzer().analyze(failure).getAction())
                .contains("spring.security.oauth2.resourceserver.jwt.issuer-uri");
    }

    private ConfigurableApplicationContext start(String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.add("--server.port=0");
        all.add("--onepg.projections.enabled=false");
        all.add("--onepg.env-file=" + workingDirectory.resolve(".env"));
        return new SpringApplicationBuilder(OnePgApplication.class).run(all.toArray(String[]::new));
    }

    private static String[] configuredDatabase() {
        TestDatabase database = TestDatabases.create();
        return new String[] {
            "--spring.datasource.url=" + database.jdbcUrl(),
            "--spring.datasource.username=" + database.username(),
            "--spring.datasource.password=" + database.password()
        };
    }

    private static RestTestClient client(ConfigurableApplicationContext service) {
        String port = service.getEnvironment().getProperty("local.server.port");
        return RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }
}
