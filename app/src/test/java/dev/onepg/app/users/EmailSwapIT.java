package dev.onepg.app.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Two users swapping emails at the same moment lock each other's email: a conflict named, never a 500. */
@SpringBootTest(classes = OnePgApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class EmailSwapIT {

    private static final int PAIRS = 12;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    RestTestClient http;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient anonymous) {
        http = TestCallers.dev(anonymous);
    }

    @Test
    void simultaneousEmailSwapsAnswer201OrANamedConflict() throws Exception {
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < 2 * PAIRS; i++) {
            UUID userId = UUID.randomUUID();
            String body = event(
                    "UserCreated",
                    "{\"username\":\"swapper" + i + "\",\"email\":\"" + email(i) + "\",\"password\":\"long enough\"}");
            assertThat(post(userId, body).getStatus().value()).isEqualTo(201);
            users.add(userId);
        }

        ExecutorService executor = Executors.newFixedThreadPool(2 * PAIRS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<EntityExchangeResult<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 2 * PAIRS; i++) {
            UUID userId = users.get(i);
            String otherEmail = email(i % 2 == 0 ? i + 1 : i - 1);
            answers.add(executor.submit(() -> {
                start.await();
                return post(userId, event("EmailChanged", "{\"email\":\"" + otherEmail + "\"}"));
            }));
        }
        start.countDown();

        for (Future<EntityExchangeResult<String>> future : answers) {
            EntityExchangeResult<String> answer = future.get();
            int status = answer.getStatus().value();
            assertThat(status).as(answer.getResponseBody()).isIn(201, 409);
            if (status == 409) {
                assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                assertThat(answer.getResponseBody()).contains("email-taken").contains("@example.org");
            }
        }
        executor.shutdown();
    }

    private EntityExchangeResult<String> post(UUID userId, String body) {
        return http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectBody(String.class)
                .returnResult();
    }

    private static String email(int i) {
        return "swap" + i + "@example.org";
    }

    private static String event(String type, String data) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"data\":" + data + "}";
    }
}
