package dev.onepg.usersservice;

import static dev.onepg.users.testing.UsersApiBodies.created;
import static dev.onepg.users.testing.UsersApiBodies.position;
import static dev.onepg.users.testing.UsersApiBodies.usernameChanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.UsersServiceApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.testing.UsersApiCalls;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The extracted users service on its own: the users API, its contract and the operations endpoints, no monolith. */
@SpringBootTest(classes = UsersServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class UsersServiceIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    RestTestClient anonymous;
    RestTestClient http;
    UsersApiCalls users;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient client) {
        anonymous = client;
        http = TestCallers.dev(client);
        users = new UsersApiCalls(http);
    }

    @Test
    void runsWithoutAnyClassOfTheMonolith() {
        assertThatThrownBy(() -> Class.forName("dev.onepg.OnePgApplication"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("dev.onepg.app.MonolithDomains"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void createsChangesReadsHistoryAndRevertsAUser() {
        UUID userId = UUID.randomUUID();
        users.record(userId, created("solo", "solo@example.org"), 201);
        long changed = position(users.record(userId, usernameChanged("solo2"), 201));

        http.get()
                .uri("/api/users/{id}?minPosition={p}", userId, changed)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, "\"2\"")
                .expectBody()
                .jsonPath("$.username")
                .isEqualTo("solo2");

        long reverted =
                position(users.revert(userId, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"toVersion\":1}", 201));

        http.get()
                .uri("/api/users/{id}?minPosition={p}", userId, reverted)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.username")
                .isEqualTo("solo")
                .jsonPath("$.version")
                .isEqualTo(3);
        users.history(userId)
                .jsonPath("$.items.length()")
                .isEqualTo(3)
                .jsonPath("$.items[0].type")
                .isEqualTo("UserCreated")
                .jsonPath("$.items[0].actor")
                .isEqualTo("dev")
                .jsonPath("$.items[1].type")
                .isEqualTo("UsernameChanged")
                .jsonPath("$.items[2].type")
                .isEqualTo("UserReverted");
    }

    @Test
    void refusesAStaleWriteAsAProblemAndStoresNothing() {
        UUID userId = UUID.randomUUID();
        users.record(userId, created("stale", "stale@example.org"), 201);

        http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.IF_MATCH, "\"0\"")
                .body(usernameChanged("stale2"))
                .exchange()
                .expectStatus()
                .isEqualTo(412)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        users.expectEventCount(userId, 1);
    }

    @Test
    void servesTheContractSwaggerUiAndOperationsEndpoints() {
        String contract = anonymous
                .get()
                .uri("/openapi/users.yaml")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(contract).contains("/api/users/{userId}/revert");
        anonymous.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        anonymous
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");
        http.get().uri("/api/operations/projections").exchange().expectStatus().isOk();
        anonymous.get().uri("/api/users").exchange().expectStatus().isUnauthorized();
    }
}
