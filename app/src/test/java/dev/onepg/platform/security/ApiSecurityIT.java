package dev.onepg.platform.security;

import static dev.onepg.users.testing.UsersApiBodies.usernameChanged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.testing.UsersApiBodies;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** HTTP Basic with configured users: every route class refuses callers without its permission, as problems. */
@SpringBootTest(classes = OnePgApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class ApiSecurityIT {

    private static final UUID SOMEONE = UUID.randomUUID();
    private static final List<Route> READS = List.of(
            new Route(HttpMethod.GET, "/api/users", null),
            new Route(HttpMethod.GET, "/api/users/" + SOMEONE, null),
            new Route(HttpMethod.GET, "/api/users/" + SOMEONE + "/events", null));
    private static final List<Route> WRITES = List.of(
            new Route(HttpMethod.POST, "/api/users/" + SOMEONE + "/events", created("someone")),
            new Route(HttpMethod.POST, "/api/users/" + SOMEONE + "/revert", revert()));
    private static final List<Route> OPERATIONS = List.of(
            new Route(HttpMethod.GET, "/actuator/liquibase", null),
            new Route(HttpMethod.GET, "/actuator", null),
            new Route(HttpMethod.POST, "/api/operations/projections/users/pause", null),
            new Route(HttpMethod.GET, "/api/operations/projections", null));
    private static final Route ELSEWHERE_IN_THE_API = new Route(HttpMethod.GET, "/api/nothing-here", null);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
        user(registry, 0, "editor", "{noop}editor-secret", "users:read,users:write");
        // Without an {id} a password is plain text, as with spring.security.user.password.
        user(registry, 1, "writer", "writer-secret", "users:write");
        user(registry, 2, "reader", "{bcrypt}" + new BCryptPasswordEncoder(4).encode("reader-secret"), "users:read");
        user(registry, 3, "operator", "{noop}operator-secret", "admin");
    }

    private static void user(
            DynamicPropertyRegistry registry, int index, String name, String password, String permissions) {
        String prefix = "onepg.security.users[" + index + "].";
        registry.add(prefix + "name", () -> name);
        registry.add(prefix + "password", () -> password);
        registry.add(prefix + "permissions", () -> permissions);
    }

    @Autowired
    RestTestClient anonymous;

    @LocalServerPort
    int port;

    @Test
    void everyProtectedRouteAsksAnAnonymousCallerToAuthenticate() {
        List<Route> protectedRoutes = new ArrayList<>();
        protectedRoutes.addAll(READS);
        protectedRoutes.addAll(WRITES);
        protectedRoutes.addAll(OPERATIONS);
        protectedRoutes.add(ELSEWHERE_IN_THE_API);

        for (Route route : protectedRoutes) {
            call(anonymous, route)
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"onepg\"")
                    .expectHeader()
                    .exists("X-Correlation-Id")
                    .expectHeader()
                    .doesNotExist(HttpHeaders.SET_COOKIE)
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status")
                    .isEqualTo(401)
                    .jsonPath("$.detail")
                    .isEqualTo("This route needs an authenticated caller: send HTTP Basic credentials.")
                    .jsonPath("$.instance")
                    .isEqualTo(route.path());
        }
    }

    @Test
    void wrongCredentialsAnswer401() {
        for (RestTestClient stranger : List.of(
                TestCallers.basic(anonymous, "editor", "not-the-password"),
                TestCallers.basic(anonymous, "nobody", "editor-secret"),
                TestCallers.dev(anonymous))) {
            call(stranger, READS.getFirst())
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.detail")
                    .isEqualTo("The user name or password is wrong.");
        }
    }

    @Test
    void readRoutesNeedUsersRead() {
        RestTestClient writer = TestCallers.basic(anonymous, "writer", "writer-secret");
        RestTestClient reader = TestCallers.basic(anonymous, "reader", "reader-secret");

        for (Route route : READS) {
            refused(writer, route, "This route needs the permission users:read, which writer lacks.");
            call(reader, route)
                    .expectStatus()
                    .value(status -> assertThat(status).isIn(200, 404));
        }
    }

    @Test
    void writeRoutesNeedUsersWriteAndARefusedWriteStoresNothing() {
        RestTestClient reader = TestCallers.basic(anonymous, "reader", "reader-secret");
        RestTestClient editor = TestCallers.basic(anonymous, "editor", "editor-secret");
        UUID existing = UUID.randomUUID();
        post(editor, existing, created("existing")).expectStatus().isCreated();

        for (Route route : WRITES) {
            refused(reader, route, "This route needs the permission users:write, which reader lacks.");
        }
        refused(
                reader,
                new Route(HttpMethod.POST, "/api/users/" + existing + "/events", usernameChanged("renamed")),
                "This route needs the permission users:write, which reader lacks.");

        history(editor, SOMEONE).expectStatus().isNotFound();
        history(editor, existing)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(1)
                .jsonPath("$.items[0].data.username")
                .isEqualTo("existing");
    }

    @Test
    void operationsNeedAdmin() {
        RestTestClient editor = TestCallers.basic(anonymous, "editor", "editor-secret");
        RestTestClient operator = TestCallers.basic(anonymous, "operator", "operator-secret");

        for (Route route : OPERATIONS) {
            refused(editor, route, "This route needs the permission admin, which editor lacks.");
        }
        call(operator, OPERATIONS.getFirst()).expectStatus().isOk();
        call(operator, OPERATIONS.getLast()).expectStatus().isOk();
        call(operator, READS.getFirst())
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("This route needs the permission users:read, which operator lacks.");
    }

    @Test
    void healthTheContractAndSwaggerUiArePublic() {
        for (String path : List.of(
                "/actuator/health",
                "/actuator/health/liveness",
                "/actuator/health/readiness",
                "/actuator/info",
                "/openapi/users.yaml",
                "/swagger-ui/index.html",
                "/swagger-ui.html",
                "/v3/api-docs/swagger-config")) {
            anonymous
                    .get()
                    .uri(path)
                    .exchange()
                    .expectStatus()
                    .value(status -> assertThat(status).as(path).isIn(200, 302));
        }
    }

    @Test
    void theActorIsTheAuthenticatedCallerWhateverTheRequestClaims() {
        RestTestClient editor = TestCallers.basic(anonymous, "editor", "editor-secret");
        UUID userId = UUID.randomUUID();
        String forgedBody = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UserCreated\",\"actor\":\"mallory\","
                + "\"metadata\":{\"actor\":\"mallory\"},\"data\":{\"username\":\"forged\",\"email\":"
                + "\"forged@example.org\",\"password\":\"correct horse battery\"}}";
        // A body that names an actor is refused outright: the contract has no such field.
        editor.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(forgedBody)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.field")
                .isEqualTo("actor");
        String body = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UserCreated\",\"data\":{\"username\":"
                + "\"forged\",\"email\":\"forged@example.org\",\"password\":\"correct horse battery\"}}";

        editor.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-Actor", "mallory")
                .header("X-User", "mallory")
                .header("X-Forwarded-User", "mallory")
                .header("X-Remote-User", "mallory")
                .body(body)
                .exchange()
                .expectStatus()
                .isCreated();
        post(TestCallers.basic(anonymous, "writer", "writer-secret"), userId, usernameChanged("written"))
                .expectStatus()
                .isCreated();

        history(editor, userId)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[0].actor")
                .isEqualTo("editor")
                .jsonPath("$.items[1].actor")
                .isEqualTo("writer");
    }

    @Test
    void aRequestTheFirewallRejectsIsAProblemToo() {
        TestCallers.basic(anonymous, "editor", "editor-secret")
                .get()
                .uri("/api/users;jsessionid=42")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aHeaderWithAControlCharacterIsRefusedAsAProblem() throws Exception {
        // Tomcat reads header bytes as ISO-8859-1: 0x85 arrives as U+0085, a control character.
        String request = "GET /api/users HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Basic ZWRpdG9yOmVkaXRvci1zZWNyZXQ=\u0085\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json");
        }
    }

    private static void refused(RestTestClient caller, Route route, String detail) {
        call(caller, route)
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(403)
                .jsonPath("$.detail")
                .isEqualTo(detail);
    }

    private static RestTestClient.ResponseSpec call(RestTestClient caller, Route route) {
        RestTestClient.RequestBodySpec request = caller.method(route.method()).uri(route.path());
        if (route.body() == null) {
            return request.exchange();
        }
        return request.contentType(MediaType.APPLICATION_JSON)
                .body(route.body())
                .exchange();
    }

    private static RestTestClient.ResponseSpec post(RestTestClient caller, UUID userId, String body) {
        return caller.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }

    private static RestTestClient.ResponseSpec history(RestTestClient caller, UUID userId) {
        return caller.get().uri("/api/users/{id}/events", userId).exchange();
    }

    private static String created(String username) {
        return UsersApiBodies.created(username, username + "@example.org");
    }

    private static String revert() {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"toVersion\":1}";
    }

    private record Route(
            HttpMethod method, String path, @Nullable String body) {}
}
