package dev.onepg.platform.operations;

import dev.onepg.eventstore.postgres.testing.Eventually;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.Actor;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RecordUserEventUseCase;
import dev.onepg.users.application.port.in.UserChange;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The users domain as the operations tests use it (a bean they import): users written through its use case, a
 * poisoned event, its projection's state; and how they wait for the projection and read the metrics.
 */
@TestComponent
final class UsersUnderOperation {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final RecordUserEventUseCase users;
    private final JdbcTemplate jdbc;

    UsersUnderOperation(RecordUserEventUseCase users, JdbcTemplate jdbc) {
        this.users = users;
        this.jdbc = jdbc;
    }

    EventWritten create(String username) {
        return users.record(new RecordUserEvent(
                new UserId(UUID.randomUUID()),
                UUID.randomUUID(),
                new UserChange.Create(username, username + "@example.org", "correct horse battery"),
                null,
                Actor.NONE));
    }

    /** Stores, past the use case, a user's first event that the users projection cannot read; returns its id. */
    UUID poison() {
        UUID poison = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload)
                VALUES (?, 'user', ?, 1, 'UserCreated', '{"unexpected": true}')
                """, poison, UUID.randomUUID().toString());
        return poison;
    }

    /** The users projection's state as stored: RUNNING, PAUSED or FAILED. */
    String projectionState() {
        return jdbc.queryForObject("SELECT status FROM eventstore.projections WHERE name = 'users'", String.class);
    }

    /** Waits for what the projection does in the background, failing the test after 30 seconds. */
    static void eventually(BooleanSupplier condition) throws InterruptedException {
        Eventually.eventually(condition, PATIENCE);
    }

    /** The metrics an admin scrapes, in Prometheus' text format. */
    static String prometheus(RestTestClient admin) {
        return admin.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }
}
