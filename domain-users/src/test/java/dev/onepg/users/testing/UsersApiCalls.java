package dev.onepg.users.testing;

import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Calls of the users API that the tests of every deployable serving it make, as one caller.
 *
 * @param http the client, sending the caller's credentials
 */
public record UsersApiCalls(RestTestClient http) {

    /** Records an event of the user, expecting the status; answers the body. */
    public String record(UUID userId, String body, int status) {
        return post(userId, "events", body, status);
    }

    /** Reverts the user, expecting the status; answers the body. */
    public String revert(UUID userId, String body, int status) {
        return post(userId, "revert", body, status);
    }

    /** Reads the user's history, expecting it to be there; the body is left to check. */
    public RestTestClient.BodyContentSpec history(UUID userId) {
        return http.get()
                .uri("/api/users/{id}/events", userId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody();
    }

    /** Expects the user's history to hold this many events. */
    public void expectEventCount(UUID userId, int count) {
        history(userId).jsonPath("$.items.length()").isEqualTo(count);
    }

    /** Expects a list read at a position the views have not reached to answer 503, to retry after a second. */
    public void expectViewsBehind(long minPosition) {
        http.get()
                .uri("/api/users?minPosition={p}", minPosition)
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private String post(UUID userId, String resource, String body, int status) {
        return http.post()
                .uri("/api/users/{id}/{resource}", userId, resource)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }
}
