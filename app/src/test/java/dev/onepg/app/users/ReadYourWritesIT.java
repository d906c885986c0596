package dev.onepg.app.users;

import static dev.onepg.users.testing.UsersApiBodies.created;
import static dev.onepg.users.testing.UsersApiBodies.position;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.testing.UsersApiCalls;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** minPosition: every position the views have applied up to answers at once, events or not; beyond waits. */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "onepg.users.read-your-writes-timeout=5s")
@AutoConfigureRestTestClient
class ReadYourWritesIT {

    private static final Duration AT_ONCE = Duration.ofMillis(2500);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    RestTestClient http;
    UsersApiCalls users;

    @Autowired
    DataSource dataSource;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient anonymous) {
        http = TestCallers.dev(anonymous);
        users = new UsersApiCalls(http);
    }

    /** The first request of a fresh context pays for its own set-up; what is timed here is the wait. */
    @BeforeEach
    void warmUp() {
        http.get().uri("/api/users").exchange().expectStatus().isOk();
    }

    @Test
    void positionZeroAnswersAtOnce() {
        assertThat(timeToRead("/api/users?minPosition=0", 200)).isLessThan(AT_ONCE);
    }

    @Test
    void aPositionLeftEmptyByARolledBackAppendAnswersAtOnceOnceTheEventsAroundItAreApplied() throws Exception {
        long before = position(create("before"));
        long gap = rolledBackPosition();
        long after = position(create("after"));
        assertThat(gap).isBetween(before + 1, after - 1);
        timeToRead("/api/users?minPosition=" + after, 200);

        assertThat(timeToRead("/api/users?minPosition=" + gap, 200)).isLessThan(AT_ONCE);
    }

    @Test
    void aPositionPastTheLastEventWaitsThenAnswers503WithRetryAfter() {
        long head = position(create("head"));
        timeToRead("/api/users?minPosition=" + head, 200);

        users.expectViewsBehind(head + 1);
    }

    private Duration timeToRead(String uri, int status) {
        long started = System.nanoTime();
        http.get().uri(uri).exchange().expectStatus().isEqualTo(status);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private String create(String name) {
        return users.record(UUID.randomUUID(), created(name, name + "@example.org"), 201);
    }

    /** Takes a position in the log and rolls it back, leaving a position without an event. */
    private long rolledBackPosition() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("""
                            INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload)
                            VALUES (gen_random_uuid(), 'user', 'rolled-back', 1, 'UserCreated', '{}')
                            RETURNING position""")) {
                result.next();
                return result.getLong(1);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }
}
