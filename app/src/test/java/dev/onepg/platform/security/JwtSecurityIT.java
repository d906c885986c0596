package dev.onepg.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

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
        UUID userId = UUID.randomUUID();

        editor.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-Actor", "mallory")
                .body("{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UserCreated\","
                        + "\"data\":{\"username\":\"tokened\",\"email\":\"tokened@example.org\","
                        + "\"password\":\"correct horse battery\"}}")
                .exchange()
                .expectStatus()
                .isCreated();

        editor.get()
                .uri("/api/users/{id}/events", userId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[0].actor")
                .isEqualTo("5f0c2a1e-editor");
    }

    @Test
    void aTokenWithoutThePermissionIsRefusedWith403AndStoresNothing() {
        RestTestClient reader = bearer(TestTokens.token("reader-sub", Map.of("scope", "users:read")));
        UUID userId = UUID.randomUUID();

        reader.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UserCreated\",\"data\":{\"username\":"
                        + "\"refused\",\"email\":\"refused@example.org\",\"password\":\"correct horse battery\"}}")
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
        anonymous
                .get()
                .uri("/api/users")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .value(
                        HttpHeaders.WWW_AUTHENTICATE,
                        challenge -> assertThat(challenge).startsWith("Bearer"))
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
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
            bearer(token)
                    .get()
                    .uri("/api/users")
                    .exchange()
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .value(
                            HttpHeaders.WWW_AUTHENTICATE,
                            challenge ->
                                    assertThat(challenge).startsWith("Bearer").contains("error=\"invalid_token\""))
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
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

    private RestTestClient bearer(String token) {
        return TestCallers.bearer(anonymous, token);
    }
}
