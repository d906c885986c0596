package dev.onepg.platform.security;

import static dev.onepg.users.testing.UsersApiBodies.created;

import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The actor the service records for a caller: whom a user's first event names as its author. */
final class RecordedActor {

    private RecordedActor() {}

    /** Creates a new user as the caller, sending the extra headers, and expects its first event to name the actor. */
    static void assertCreatesAs(RestTestClient caller, Consumer<HttpHeaders> headers, String actor) {
        UUID userId = UUID.randomUUID();
        String name = "actor" + userId.toString().substring(0, 8);
        caller.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .headers(headers)
                .body(created(name, name + "@example.org"))
                .exchange()
                .expectStatus()
                .isCreated();
        caller.get()
                .uri("/api/users/{id}/events", userId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[0].actor")
                .isEqualTo(actor);
    }
}
