package dev.onepg.platform.security;

import static dev.onepg.users.testing.UsersApiBodies.created;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Bearer JWTs with the default claims: permissions from the scope, the actor from the subject. */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "onepg.security.mode=jwt")
@AutoConfigureRestTestClient
@Import(TestTokens.Issuer.class)
class JwtSecurityIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    @Autowired
    RestTestClient anonymous;

    @Test
    void theScopeGrantsPermissionsAndTheSubjectIsTheActor() {
        RestTestClient editor = bearer(TestTokens.token(
                "5f0c2a1e-editor", Map.of("scope", "openid profile users:read users:write", "name", "mallory")));

        RecordedActor.assertCreatesAs(editor, headers -> headers.set("X-Actor", "mallory"), "5f0c2a1e-editor");
    }

    @Test
    void aTokenWithoutThePermissionIsRefusedWith403AndStoresNothing() {
        RestTestClient reader = bearer(TestTokens.token("reader-sub", Map.of("scope", "users:read")));
        UUID userId = UUID.randomUUID();

        reader.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(created("refused", "refused@example.org"))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("This route needs the permission users:write, which reader-sub lacks.");
        reader.get()
                .uri("/api/users/{id}/events", userId)
                .exchange()
                .expectStatus()
                .isNotFound();
        reader.get()
                .uri("/actuator/liquibase")
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("This route needs the permission admin, which reader-sub lacks.");
        bearer(TestTokens.token("operator-sub", Map.of("scope", "admin")))
                .get()
                .uri("/actuator/liquibase")
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void aMissingTokenAnswers401WithABearerChallenge() {
        unauthorized(anonymous, challenge -> assertThat(challenge).startsWith("Bearer"))
                .jsonPath("$.detail")
                .isEqualTo("This route needs an authenticated caller: send a bearer token.");
        // Basic credentials mean nothing in jwt mode, not even those of the development users.
        TestCallers.dev(anonymous)
                .get()
                .uri("/api/users")
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void anExpiredForgedOrMalformedTokenAnswers401() {
        Map<String, Object> everything = Map.of("scope", "users:read users:write admin");
        List<String> refusedTokens = List.of(
                TestTokens.expiredToken("late", everything),
                TestTokens.tokenOfAStranger("stranger", everything),
                "not-a-jwt");

        for (String token : refusedTokens) {
            unauthorized(
                            bearer(token),
                            challenge ->
                                    assertThat(challenge).startsWith("Bearer").contains("error=\"invalid_token\""))
                    .jsonPath("$.detail")
                    .value(detail -> assertThat((String) detail).startsWith("The bearer token was refused: "));
        }
        bearer(TestTokens.expiredToken("late", everything))
                .get()
                .uri("/api/users")
                .exchange()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("expired"));
    }

    /** Lists the users as the caller, expecting a 401 problem whose challenge passes the check. */
    private static RestTestClient.BodyContentSpec unauthorized(RestTestClient caller, Consumer<String> challenge) {
        return caller.get()
                .uri("/api/users")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .value(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody();
    }

    private RestTestClient bearer(String token) {
        return TestCallers.bearer(anonymous, token);
    }
}
