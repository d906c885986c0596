package dev.onepg.app.extraction;

import static dev.onepg.users.testing.UsersApiBodies.created;
import static dev.onepg.users.testing.UsersApiBodies.position;
import static dev.onepg.users.testing.UsersApiBodies.usernameChanged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.UsersServiceApplication;
import dev.onepg.eventstore.postgres.testing.TestDatabase;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import dev.onepg.platform.testing.TestCallers;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The monolith and the extracted users service on one database: a write through either is read through both, and
 * the projections' leases keep them from applying an event twice.
 */
class SideBySideIT {

    private static ConfigurableApplicationContext monolith;
    private static ConfigurableApplicationContext service;
    private static RestTestClient throughMonolith;
    private static RestTestClient throughService;

    @BeforeAll
    static void startBothOnOneDatabase() {
        TestDatabase database = TestDatabases.create();
        monolith = start(OnePgApplication.class, "onepg", database);
        service = start(UsersServiceApplication.class, "users-service", database);
        throughMonolith = client(monolith);
        throughService = client(service);
    }

    @AfterAll
    static void stopBoth() {
        if (service != null) {
            service.close();
        }
        if (monolith != null) {
            monolith.close();
        }
    }

    @Test
    void everyWriteThroughEitherIsReadThroughBoth() {
        UUID viaMonolith = UUID.randomUUID();
        UUID viaService = UUID.randomUUID();
        post(throughMonolith, viaMonolith, created("monolith-made", "monolith-made@example.org"));
        post(throughService, viaService, created("service-made", "service-made@example.org"));
        post(throughService, viaMonolith, usernameChanged("monolith-made-2"));
        long last = position(post(throughMonolith, viaService, usernameChanged("service-made-2")));

        for (RestTestClient reader : new RestTestClient[] {throughMonolith, throughService}) {
            readsUser(reader, viaMonolith, last, "monolith-made-2");
            readsUser(reader, viaService, last, "service-made-2");
            reader.get()
                    .uri("/api/users/{id}/events", viaMonolith)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.items.length()")
                    .isEqualTo(2);
            reader.get()
                    .uri("/api/users?q=-made-2&minPosition={p}", last)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.totalItems")
                    .isEqualTo(2);
        }
    }

    /**
     * Each instance remembers the users it wrote; writing one user through both in turn makes each one's memory
     * stale before its next write. Every answer is still the one the log gives.
     */
    @Test
    void oneUserWrittenThroughBothInTurnIsDecidedOnTheLog() {
        UUID user = UUID.randomUUID();
        post(throughMonolith, user, created("turn-taker", "turn-taker@example.org"));
        RestTestClient[] turns = {throughService, throughMonolith};
        for (int version = 1; version <= 6; version++) {
            String answer = post(turns[version % 2], user, "\"" + version + "\"", usernameChanged("turn-" + version));
            assertThat(answer).contains("\"version\":" + (version + 1));
        }

        // the monolith last wrote version 6; the service wrote 7
        throughMonolith
                .post()
                .uri("/api/users/{id}/events", user)
                .contentType(MediaType.APPLICATION_JSON)
                .header("If-Match", "\"6\"")
                .body(usernameChanged("stale-turn"))
                .exchange()
                .expectStatus()
                .isEqualTo(412);

        String write = usernameChanged("retried-turn");
        String first = post(throughService, user, "\"7\"", write);
        String retried = throughMonolith
                .post()
                .uri("/api/users/{id}/events", user)
                .contentType(MediaType.APPLICATION_JSON)
                .body(write)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(retried).isEqualTo(first);
        readsUser(throughMonolith, user, position(first), "retried-turn");
        throughService
                .get()
                .uri("/api/users/{id}/events?minPosition={p}", user, position(first))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(8);
    }

    @Test
    void anEmailTakenThroughOneIsRefusedThroughTheOther() {
        post(throughMonolith, UUID.randomUUID(), created("first-taker", "taken-once@example.org"));

        throughService
                .post()
                .uri("/api/users/{id}/events", UUID.randomUUID())
                .contentType(MediaType.APPLICATION_JSON)
                .body(created("second-taker", "taken-once@example.org"))
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .value(type -> assertThat((String) type).contains("email-taken"));
    }

    @Test
    void eachProjectionIsLedByOneOfThemNamedInItsStatus() {
        var leases = monolith.getBean(DSLContext.class).fetch("SELECT name, leader FROM eventstore.projections");

        assertThat(leases).isNotEmpty();
        assertThat(leases.getValues("leader", String.class))
                .allMatch(owner -> Set.of("onepg", "users-service").contains(owner));
    }

    private static ConfigurableApplicationContext start(Class<?> application, String name, TestDatabase database) {
        return new SpringApplicationBuilder(application)
                .properties(
                        "server.port=0",
                        "spring.application.name=" + name,
                        "spring.datasource.url=" + database.jdbcUrl(),
                        "spring.datasource.username=" + database.username(),
                        "spring.datasource.password=" + database.password(),
                        "onepg.security.allow-default-users=true",
                        // One JVM has one host and process id: name the instances so the projections' status tells them
                        // apart.
                        "onepg.projections.instance-id=" + name)
                .run();
    }

    private static RestTestClient client(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getRequiredProperty("local.server.port");
        return TestCallers.dev(RestTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .build());
    }

    private static void readsUser(RestTestClient reader, UUID userId, long minPosition, String username) {
        reader.get()
                .uri("/api/users/{id}?minPosition={p}", userId, minPosition)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.username")
                .isEqualTo(username);
    }

    private static String post(RestTestClient http, UUID userId, String body) {
        return post(http, userId, "*", body);
    }

    private static String post(RestTestClient http, UUID userId, String ifMatch, String body) {
        var request = http.post().uri("/api/users/{id}/events", userId).contentType(MediaType.APPLICATION_JSON);
        if (!ifMatch.equals("*")) {
            request = request.header("If-Match", ifMatch);
        }
        return request.body(body)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }
}
