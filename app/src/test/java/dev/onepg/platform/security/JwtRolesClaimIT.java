package dev.onepg.platform.security;

import static dev.onepg.users.testing.UsersApiBodies.created;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Bearer JWTs whose permissions come from a prefixed roles claim, and whose actor is the preferred user name. */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "onepg.security.mode=jwt",
            "onepg.security.jwt.authorities-claim=roles",
            "onepg.security.jwt.authority-prefix=onepg.",
            "onepg.security.jwt.principal-claim=preferred_username"
        })
@AutoConfigureRestTestClient
@Import(TestTokens.Issuer.class)
class JwtRolesClaimIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    @Autowired
    RestTestClient anonymous;

    @Test
    void prefixedRolesGrantPermissionsAndThePreferredUsernameIsTheActor() {
        RestTestClient ada = TestCallers.bearer(
                anonymous,
                TestTokens.token(
                        "8c1d-ada",
                        Map.of(
                                "roles",
                                List.of("offline_access", "onepg.users:read", "onepg.users:write"),
                                "preferred_username",
                                "ada")));

        RecordedActor.assertCreatesAs(ada, headers -> {}, "ada");
    }

    @Test
    void rolesWithoutThePrefixAndScopesGrantNothing() {
        RestTestClient bob = TestCallers.bearer(
                anonymous,
                TestTokens.token(
                        "9e2f-bob",
                        Map.of(
                                "roles", List.of("users:write", "other.users:write"),
                                "scope", "users:write",
                                "preferred_username", "bob")));

        bob.post()
                .uri("/api/users/{id}/events", UUID.randomUUID())
                .contentType(MediaType.APPLICATION_JSON)
                .body(created("bob", "bob@example.org"))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("This route needs the permission users:write, which bob lacks.");
    }

    @Test
    void aTokenThatDoesNotNameItsCallerIsRefused() {
        TestCallers.bearer(anonymous, TestTokens.token("0a1b-nameless", Map.of("roles", List.of("onepg.users:read"))))
                .get()
                .uri("/api/users")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The bearer token was refused: the token has no preferred_username claim to name its"
                        + " caller");
    }
}
