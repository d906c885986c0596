package dev.onepg.app.users;

import static dev.onepg.users.testing.UsersApiBodies.created;
import static dev.onepg.users.testing.UsersApiBodies.position;
import static dev.onepg.users.testing.UsersApiBodies.usernameChanged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.testing.UsersApiCalls;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The users API over HTTP: the answers a client gets, success and failure alike. */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "onepg.users.read-your-writes-timeout=300ms")
@AutoConfigureRestTestClient
class UsersApiIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    RestTestClient http;
    UsersApiCalls users;

    @LocalServerPort
    int port;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient anonymous) {
        http = TestCallers.dev(anonymous);
        users = new UsersApiCalls(http);
    }

    @Test
    void createsAUserAndAnswersWithItsVersionPositionAndLocation() {
        UUID userId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();

        http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(created(eventId, "ada", "ada@example.org"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, "\"1\"")
                .expectHeader()
                .valueEquals(HttpHeaders.LOCATION, "/api/users/" + userId)
                .expectBody()
                .jsonPath("$.userId")
                .isEqualTo(userId.toString())
                .jsonPath("$.eventId")
                .isEqualTo(eventId.toString())
                .jsonPath("$.version")
                .isEqualTo(1)
                .jsonPath("$.position")
                .isNumber();
    }

    @Test
    void anAnswerGoesOutWholeWithItsLengthNotInChunks() throws Exception {
        String body = created(UUID.randomUUID(), "grace", "grace@example.org");
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        String answer;
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/users/" + UUID.randomUUID() + "/events HTTP/1.1\r\n"
                            + "Host: localhost\r\n"
                            + "Authorization: Basic " + Base64.getEncoder().encodeToString("dev:dev".getBytes())
                            + "\r\n"
                            + "Content-Type: application/json\r\n"
                            + "Content-Length: " + bodyBytes.length + "\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bodyBytes);
            out.flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        String answerBody = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(head).startsWith("http/1.1 201").doesNotContain("transfer-encoding");
        assertThat(head).contains("content-length: " + answerBody.getBytes(StandardCharsets.UTF_8).length);
        assertThat(answerBody).contains("\"version\":1");
    }

    @Test
    void aRepeatedRequestGetsTheSameAnswerAndStoresNothingNew() {
        UUID userId = UUID.randomUUID();
        String body = created(UUID.randomUUID(), "repeat", "repeat@example.org");
        String first = users.record(userId, body, 201);

        String second = users.record(userId, body, 200);

        assertThat(second).isEqualTo(first);
        users.expectEventCount(userId, 1);
    }

    @Test
    void readsItsOwnWriteWithTheViewsETagAndNeverThePassword() {
        UUID userId = UUID.randomUUID();
        long position = position(users.record(userId, created(UUID.randomUUID(), "reader", "reader@example.org"), 201));

        String user = http.get()
                .uri("/api/users/{id}?minPosition={p}", userId, position)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, "\"1\"")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(user)
                .contains("\"username\":\"reader\"")
                .doesNotContain("password")
                .doesNotContain("argon");
    }

    @Test
    void ifMatchGuardsAChangeAndAStaleOneAnswers412() {
        UUID userId = UUID.randomUUID();
        users.record(userId, created(UUID.randomUUID(), "guarded", "guarded@example.org"), 201);

        http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.IF_MATCH, "\"1\"")
                .body(usernameChanged(UUID.randomUUID(), "guarded2"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, "\"2\"");
        http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.IF_MATCH, "\"1\"")
                .body(usernameChanged(UUID.randomUUID(), "guarded3"))
                .exchange()
                .expectStatus()
                .isEqualTo(412)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.currentVersion")
                .isEqualTo(2);
    }

    @Test
    void aStaleExpectedVersionIsAConflictThatNamesTheCurrentVersion() {
        UUID userId = UUID.randomUUID();
        users.record(userId, created(UUID.randomUUID(), "stale", "stale@example.org"), 201);

        refused(
                        userId,
                        "{\"eventId\":\"" + UUID.randomUUID()
                                + "\",\"type\":\"UsernameChanged\",\"data\":{\"username\":\"x.y.z\"},\"expectedVersion\":0}")
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("at version 1"))
                .jsonPath("$.currentVersion")
                .isEqualTo(1);
    }

    @Test
    void historyShowsWhoDidWhatWithoutPasswordsAndPastStatesCanBeRead() throws Exception {
        UUID userId = UUID.randomUUID();
        http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-Correlation-Id", "request-42")
                .body(created(UUID.randomUUID(), "history", "history@example.org"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueEquals("X-Correlation-Id", "request-42");
        Thread.sleep(20);
        Instant between = Instant.now();
        Thread.sleep(20);
        users.record(userId, usernameChanged(UUID.randomUUID(), "history2"), 201);
        long position = position(users.record(userId, passwordChanged(UUID.randomUUID()), 201));

        users.history(userId)
                .jsonPath("$.items[0].type")
                .isEqualTo("UserCreated")
                .jsonPath("$.items[0].correlationId")
                .isEqualTo("request-42")
                .jsonPath("$.items[0].actor")
                .isEqualTo("dev")
                .jsonPath("$.items[1].data.username")
                .isEqualTo("history2")
                .jsonPath("$.items[2].type")
                .isEqualTo("PasswordChanged");
        String body = http.get()
                .uri("/api/users/{id}/events", userId)
                .exchange()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(body)
                .doesNotContain("password\"")
                .doesNotContain("passwordHash")
                .doesNotContain("argon");

        http.get()
                .uri("/api/users/{id}?asOf={t}", userId, between)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.username")
                .isEqualTo("history")
                .jsonPath("$.version")
                .isEqualTo(1);
        http.get()
                .uri("/api/users/{id}?version=2", userId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.username")
                .isEqualTo("history2");
        http.get()
                .uri("/api/users/{id}?asOf=2000-01-01T00:00:00Z", userId)
                .exchange()
                .expectStatus()
                .isNotFound();
        http.get()
                .uri("/api/users?q=history&asOf={t}&minPosition={p}", between, position)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[0].username")
                .isEqualTo("history")
                .jsonPath("$.totalItems")
                .isEqualTo(1);
        http.get()
                .uri("/api/users?q=HISTORY2")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[0].username")
                .isEqualTo("history2");
    }

    @Test
    void revertIsAnsweredLikeAnyEventWrite() {
        UUID userId = UUID.randomUUID();
        users.record(userId, created(UUID.randomUUID(), "reverted", "reverted@example.org"), 201);
        users.record(userId, usernameChanged(UUID.randomUUID(), "changed"), 201);
        String revert = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"toVersion\":1}";

        String first = http.post()
                .uri("/api/users/{id}/revert", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(revert)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, "\"3\"")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        String again = users.revert(userId, revert, 200);

        assertThat(again).isEqualTo(first);
        http.get()
                .uri("/api/users/{id}?minPosition={p}", userId, position(first))
                .exchange()
                .expectBody()
                .jsonPath("$.username")
                .isEqualTo("reverted");
    }

    @Test
    void listsPageByPageInAStableOrderAndNeverDeletedUsers() {
        String prefix = "pager" + UUID.randomUUID().toString().substring(0, 6);
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = position(users.record(
                    UUID.randomUUID(), created(UUID.randomUUID(), prefix + "-" + i, prefix + i + "@example.org"), 201));
        }
        UUID doomed = UUID.randomUUID();
        users.record(doomed, created(UUID.randomUUID(), prefix + "-doomed", prefix + "doomed@example.org"), 201);
        last = position(users.record(doomed, deleted(UUID.randomUUID()), 201));

        http.get()
                .uri("/api/users?q={q}&size=2&page=1&minPosition={p}", prefix, last)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(2)
                .jsonPath("$.items[0].username")
                .isEqualTo(prefix + "-2")
                .jsonPath("$.items[1].username")
                .isEqualTo(prefix + "-3")
                .jsonPath("$.totalItems")
                .isEqualTo(5)
                .jsonPath("$.totalPages")
                .isEqualTo(3);
        http.get()
                .uri("/api/users/{id}", doomed)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get()
                .uri("/api/users?size=101")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void everyRefusalIsAProblemDetailAndStoresNothing() {
        UUID userId = UUID.randomUUID();
        users.record(userId, created(UUID.randomUUID(), "refused", "refused@example.org"), 201);
        UUID reused = UUID.randomUUID();
        users.record(userId, usernameChanged(reused, "refused2"), 201);

        refused(userId, "{not json")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("not valid JSON"));
        refused(userId, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UserRenamed\",\"data\":{}}")
                .expectStatus()
                .isBadRequest();
        refused(userId, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UsernameChanged\",\"data\":{}}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("data.username is required"));
        refused(userId, "{\"type\":\"UsernameChanged\",\"data\":{\"username\":\"abc\"}}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("eventId must not be null"));
        refused(userId, usernameChanged(UUID.randomUUID(), "no spaces allowed"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.field")
                .isEqualTo("username");
        refused(userId, usernameChanged(reused, "other-name")).expectStatus().isEqualTo(409);
        refused(userId, created(UUID.randomUUID(), "refused", "other@example.org"))
                .expectStatus()
                .isEqualTo(409);
        refused(UUID.randomUUID(), created(UUID.randomUUID(), "squatter", "REFUSED@example.org"))
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("already used by another user"));
        refused(UUID.randomUUID(), usernameChanged(UUID.randomUUID(), "nobody"))
                .expectStatus()
                .isEqualTo(409);
        users.record(
                userId,
                "{\"eventId\":\"" + UUID.randomUUID()
                        + "\",\"type\":\"UserDeleted\",\"data\":{},\"expectedVersion\":2}",
                201);
        refused(userId, usernameChanged(UUID.randomUUID(), "after-death"))
                .expectStatus()
                .isEqualTo(409);

        http.post()
                .uri("/api/users/not-a-uuid/events")
                .contentType(MediaType.APPLICATION_JSON)
                .body(usernameChanged(UUID.randomUUID(), "abc"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("userId must be a UUID"));
        http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.TEXT_PLAIN)
                .body("hello")
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(413)
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).startsWith("The request body is larger than the limit"))
                .jsonPath("$.instance")
                .isEqualTo("/api/users/" + userId + "/events");
        http.get()
                .uri("/api/nothing-here")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.delete()
                .uri("/api/users/{id}", userId)
                .exchange()
                .expectStatus()
                .isEqualTo(405)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);

        users.expectEventCount(userId, 3);
    }

    @Test
    void readingAPositionTheViewsHaveNotReachedAnswers503WithRetryAfter() {
        users.expectViewsBehind(999_999_999);
    }

    @Test
    void servesTheContractAndSwaggerUi() {
        http.get()
                .uri("/openapi/users.yaml")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("openapi: 3.1"));
        http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    /** Posts an event that must be refused, and checks that the answer is a problem detail. */
    private RestTestClient.ResponseSpec refused(UUID userId, String body) {
        RestTestClient.ResponseSpec response = http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
        response.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response;
    }

    private static String passwordChanged(UUID eventId) {
        return "{\"eventId\":\"" + eventId
                + "\",\"type\":\"PasswordChanged\",\"data\":{\"password\":\"new secret words\"}}";
    }

    private static String deleted(UUID eventId) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"UserDeleted\",\"data\":{}}";
    }
}
