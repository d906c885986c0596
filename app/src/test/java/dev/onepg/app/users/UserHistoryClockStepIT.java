package dev.onepg.app.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.eventstore.ProjectionProgress;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEventTypes;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.UserPage;
import dev.onepg.users.application.port.in.UserQueries;
import dev.onepg.users.application.port.in.UserView;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The database clock may step back (an NTP correction, a failover to a server whose clock is behind): an event
 * can be recorded earlier than the one before it in the same stream. The users history takes it in without
 * failing, by its rule: a period starts no earlier than the one before it.
 */
@SpringBootTest(classes = OnePgApplication.class)
class UserHistoryClockStepIT {

    private static final Instant NOON = Instant.parse("2030-01-01T12:00:00Z");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ProjectionEngine engine;

    @Autowired
    ProjectionProgress progress;

    @Autowired
    UserQueries queries;

    @Test
    void aClockStepBackBetweenTwoEventsOfAUserKeepsPeriodsOrderedAndPastAnswersAsTheyWere() throws Exception {
        UserId user = new UserId(UUID.randomUUID());
        insert(user, 1, new UserEvent.UserCreated("ada", "ada@example.org", "hash"), NOON);
        insert(user, 2, new UserEvent.UsernameChanged("ada-renamed"), NOON.plusSeconds(600));
        awaitApplied();
        List<Instant> past = List.of(
                NOON.minusSeconds(1), NOON, NOON.plusSeconds(300), NOON.plusSeconds(599), NOON.plusMillis(599_999));
        List<List<UserView>> answersBefore = past.stream().map(this::asOf).toList();

        // The clock stepped back 70 minutes between version 2 and 3, and is still behind at version 4.
        insert(user, 3, new UserEvent.EmailChanged("ada@example.com"), NOON.minusSeconds(600));
        insert(user, 4, new UserEvent.UsernameChanged("ada-again"), NOON.minusSeconds(300));
        awaitApplied();

        assertThat(engine.status("users").orElseThrow().state().name()).isEqualTo("RUNNING");
        assertThat(past.stream().map(this::asOf).toList()).isEqualTo(answersBefore);
        // The closed periods are in the history, the open one is the current row.
        List<Map<String, Object>> periods = jdbc.queryForList(
                "SELECT version, valid_from, valid_to FROM users.user_history WHERE user_id = ?"
                        + " UNION ALL SELECT version, updated_at, NULL FROM users.current_users WHERE user_id = ?"
                        + " ORDER BY version",
                user.value(),
                user.value());
        assertThat(periods).hasSize(4);
        for (int i = 1; i < periods.size(); i++) {
            Instant from = instant(periods.get(i).get("valid_from"));
            assertThat(from).isAfterOrEqualTo(instant(periods.get(i - 1).get("valid_from")));
            assertThat(instant(periods.get(i - 1).get("valid_to"))).isEqualTo(from);
        }
        // Versions 3 and 4 take effect where version 2 began: the latest state is what the list shows from then on.
        assertThat(asOf(NOON.plusSeconds(600))).singleElement().satisfies(view -> {
            assertThat(view.username()).isEqualTo("ada-again");
            assertThat(view.email()).isEqualTo("ada@example.com");
            assertThat(view.version()).isEqualTo(4);
        });
        assertThat(queries.find(user).orElseThrow().updatedAt()).isEqualTo(NOON.plusSeconds(600));
    }

    private List<UserView> asOf(Instant instant) {
        UserPage page = queries.listAsOf(instant, "ada", 0, 10);
        return page.items();
    }

    private void insert(UserId user, long version, UserEvent event, Instant recordedAt) {
        jdbc.update(
                "INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload,"
                        + " recorded_at) VALUES (?, 'user', ?, ?, ?, ?::jsonb, ?)",
                UUID.randomUUID(),
                user.toString(),
                version,
                UserEventTypes.TABLE.nameOf(event),
                UserEventTypes.TABLE.encode(event),
                Timestamp.from(recordedAt));
    }

    private void awaitApplied() throws InterruptedException {
        long last = jdbc.queryForObject("SELECT max(position) FROM eventstore.events", Long.class);
        engine.wakeUp();
        assertThat(progress.awaitPosition("users", last, Duration.ofSeconds(30)))
                .isTrue();
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp timestamp
                ? timestamp.toInstant()
                : ((java.time.OffsetDateTime) value).toInstant();
    }
}
