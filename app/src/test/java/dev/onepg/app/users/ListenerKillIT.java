package dev.onepg.app.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.eventstore.postgres.notification.NotificationListener;
import dev.onepg.eventstore.postgres.testing.TestDatabase;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Killing the listening connection never turns a write into a false success: every write right after it is
 * stored (201), or refused as a 503 problem whose retry with the same event id stores it.
 */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // A small pool makes a broken connection handed back to it likely to be borrowed by the next request.
        properties = "spring.datasource.hikari.maximum-pool-size=4")
@AutoConfigureRestTestClient
class ListenerKillIT {

    private static TestDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = TestDatabaseProperties.register(registry);
    }

    RestTestClient http;

    @Autowired
    NotificationListener listener;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient anonymous) {
        http = TestCallers.dev(anonymous);
    }

    @Test
    void writesRightAfterTheListenerIsKilledAreStoredOrRefusedAsRetryableProblems() throws Exception {
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID userId = UUID.randomUUID();
            String body = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UserCreated\",\"data\":{\"username\":"
                    + "\"killed" + i + "\",\"email\":\"killed" + i + "@example.org\",\"password\":\"long enough\"}}";
            assertThat(post(userId, body).getStatus().value()).isEqualTo(201);
            users.add(userId);
        }

        for (int round = 0; round < 3; round++) {
            awaitListening();
            terminate(listener.backendPid());
            for (int i = 0; i < 12; i++) {
                UUID userId = users.get(i % users.size());
                UUID eventId = UUID.randomUUID();
                String body = "{\"eventId\":\"" + eventId + "\",\"type\":\"UsernameChanged\",\"data\":{\"username\":"
                        + "\"renamed" + round + "x" + i + "\"}}";
                EntityExchangeResult<String> answer = post(userId, body);
                int status = answer.getStatus().value();
                if (status == 503) {
                    assertThat(answer.getResponseHeaders().getContentType())
                            .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                    assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                            .isNotNull();
                    answer = post(userId, body);
                    status = answer.getStatus().value();
                }
                assertThat(status)
                        .as("write %d of round %d: %s", i, round, answer.getResponseBody())
                        .isEqualTo(201);
                assertThat(answer.getResponseBody()).contains(eventId.toString());
                assertThat(storedEvents(eventId)).isEqualTo(1);
            }
        }
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

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!listener.isListening() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(listener.isListening()).isTrue();
    }

    private static void terminate(int backendPid) throws Exception {
        try (Connection connection = connect();
                PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            terminate.setInt(1, backendPid);
            terminate.execute();
        }
    }

    private static int storedEvents(UUID eventId) throws Exception {
        try (Connection connection = connect();
                PreparedStatement count =
                        connection.prepareStatement("SELECT count(*) FROM eventstore.events WHERE event_id = ?")) {
            count.setObject(1, eventId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
