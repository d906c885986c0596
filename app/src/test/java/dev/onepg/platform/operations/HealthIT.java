package dev.onepg.platform.operations;

import static dev.onepg.platform.operations.UsersUnderOperation.eventually;
import static dev.onepg.platform.operations.UsersUnderOperation.prometheus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.UserQueries;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Health for machines and for people: probes and the overall status say whether the instance can serve; a
 * failed or lagging projection shows in its own component and in metrics without taking the instance out of a
 * load balancer; only admins see components and details.
 */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "onepg.projections.max-attempts=1",
            "onepg.projections.first-retry-delay=10ms",
            "onepg.operations.max-projection-lag=1s"
        })
@AutoConfigureRestTestClient
@Import(UsersUnderOperation.class)
@DirtiesContext
class HealthIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    @Autowired
    RestTestClient anonymous;

    @Autowired
    UsersUnderOperation users;

    @Autowired
    UserQueries queries;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    ApplicationContext context;

    @Test
    void anonymousCallersAndCallersWithoutAdminSeeTheStatusOnly() {
        RestTestClient reader = TestCallers.basic(anonymous, "reader", "reader");
        for (RestTestClient caller : new RestTestClient[] {anonymous, reader}) {
            for (String path :
                    new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
                assertStatusOnly(health(caller, path, 200), path, "UP");
            }
            caller.get()
                    .uri("/actuator/health/projections")
                    .exchange()
                    .expectStatus()
                    .isNotFound();
        }
    }

    @Test
    void adminsSeeEveryComponentAndItsDetails() {
        Map<String, Object> components = components(health(TestCallers.dev(anonymous), "/actuator/health", 200));

        assertThat(components).containsKeys("db", "projections", "notifications", "livenessState", "readinessState");
        assertThat(components.get("projections").toString()).contains("users", "state=RUNNING", "position=");
    }

    @Test
    void readinessCoversTheWebLayerAndTheDatabaseOnly() {
        RestTestClient admin = TestCallers.dev(anonymous);

        assertThat(components(health(admin, "/actuator/health/readiness", 200)).keySet())
                .containsExactlyInAnyOrder("readinessState", "db");
        assertThat(components(health(admin, "/actuator/health/liveness", 200)).keySet())
                .containsExactly("livenessState");

        // The web layer stops taking traffic (as on shutdown): readiness says so, liveness does not.
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        try {
            assertStatusOnly(health(anonymous, "/actuator/health/readiness", 503), "readiness", "OUT_OF_SERVICE");
            assertStatusOnly(health(anonymous, "/actuator/health/liveness", 200), "liveness", "UP");
        } finally {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        health(anonymous, "/actuator/health/readiness", 200);
    }

    @Test
    void aFailedProjectionShowsInItsComponentAndMetricsButKeepsTheInstanceInService() throws InterruptedException {
        RestTestClient admin = TestCallers.dev(anonymous);
        UUID poison = users.poison();
        eventually(() -> "FAILED".equals(users.projectionState()));
        try {
            for (String path : new String[] {"/actuator/health", "/actuator/health/readiness"}) {
                assertStatusOnly(health(anonymous, path, 200), path, "UP");
                assertThat(health(admin, path, 200).get("status")).as(path).isEqualTo("UP");
            }
            Map<?, ?> projections = health(admin, "/actuator/health/projections", 200);
            assertThat(projections.get("status")).isEqualTo("FAILED");
            assertThat(projections.toString()).contains("stopped at event " + poison);
            assertThat(prometheus(admin)).contains("onepg_projection_failed{projection=\"users\"} 1.0");
        } finally {
            admin.post()
                    .uri("/api/operations/projections/users/skip")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("eventId", poison.toString(), "reason", "planted by a test"))
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
        assertThat(health(admin, "/actuator/health/projections", 200).get("status"))
                .isEqualTo("UP");
        assertThat(prometheus(admin)).contains("onepg_projection_failed{projection=\"users\"} 0.0");
    }

    @Test
    void aLaggingProjectionIsDegradedButKeepsTheInstanceInService() throws Exception {
        RestTestClient admin = TestCallers.dev(anonymous);
        EventWritten written;
        // An open transaction with an id holds every reader below it: the projection falls behind the log.
        try (Connection blocker = dataSource.getConnection();
                Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("SELECT pg_current_xact_id()");
            written = users.create("lagging");
            eventually(() -> "DEGRADED"
                    .equals(health(admin, "/actuator/health/projections", 200).get("status")));

            assertThat(health(admin, "/actuator/health/projections", 200).toString())
                    .contains("lagging");
            assertStatusOnly(health(anonymous, "/actuator/health", 200), "health", "UP");
            assertStatusOnly(health(anonymous, "/actuator/health/readiness", 200), "readiness", "UP");
            blocker.rollback();
        }
        queries.awaitPosition(written.position());
        assertThat(health(admin, "/actuator/health/projections", 200).get("status"))
                .isEqualTo("UP");
    }

    /** The overall health also names its groups (liveness, readiness), which tell nothing about the instance. */
    private static void assertStatusOnly(Map<?, ?> health, String what, String status) {
        assertThat(health.get("status")).as(what).isEqualTo(status);
        assertThat(health.keySet().stream().map(String::valueOf).toList())
                .as(what)
                .isSubsetOf(List.of("status", "groups"));
    }

    private static Map<?, ?> health(RestTestClient caller, String path, int expectedStatus) {
        return caller.get()
                .uri(path)
                .exchange()
                .expectStatus()
                .isEqualTo(expectedStatus)
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> components(Map<?, ?> health) {
        return (Map<String, Object>) health.get("components");
    }
}
