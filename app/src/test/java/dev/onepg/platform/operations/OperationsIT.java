package dev.onepg.platform.operations;

import static dev.onepg.platform.operations.UsersUnderOperation.eventually;
import static dev.onepg.platform.operations.UsersUnderOperation.prometheus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.UserQueries;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** An operator sees a stopped projection in health and status, skips its poison, pauses, resumes, rebuilds. */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "onepg.projections.max-attempts=2",
            "onepg.projections.first-retry-delay=10ms",
            "onepg.projections.batch-size=50",
            "onepg.users.read-your-writes-timeout=400ms"
        })
@AutoConfigureRestTestClient
@Import(UsersUnderOperation.class)
@DirtiesContext
class OperationsIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    RestTestClient http;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient anonymous) {
        http = TestCallers.dev(anonymous);
    }

    @Autowired
    UsersUnderOperation users;

    @Autowired
    UserQueries queries;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aPoisonedEventStopsItsProjectionVisiblyAndASkipResumesIt() throws Exception {
        UUID poison = users.poison();

        eventually(() -> "FAILED".equals(users.projectionState()));
        http.get()
                .uri("/api/operations/projections/users")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.failedEventId")
                .isEqualTo(poison.toString())
                .jsonPath("$.lastError")
                .value(error -> assertThat((String) error).contains("username"));
        http.get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP")
                .jsonPath("$.components.projections.status")
                .isEqualTo("FAILED")
                .jsonPath("$.components.projections.details.users.reason")
                .value(reason -> assertThat((String) reason).contains(poison.toString()));

        http.post()
                .uri("/api/operations/projections/users/skip")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("eventId", UUID.randomUUID().toString(), "reason", "wrong event"))
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post()
                .uri("/api/operations/projections/users/skip")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("eventId", poison.toString(), "reason", "written by a broken importer"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.state")
                .isEqualTo("RUNNING");

        assertThat(jdbc.queryForObject(
                        "SELECT reason FROM eventstore.skipped_events WHERE event_id = ?", String.class, poison))
                .isEqualTo("written by a broken importer");
        EventWritten after = users.create("after-skip");
        queries.awaitPosition(after.position());
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void aPausedProjectionHoldsUntilResumed() {
        http.post()
                .uri("/api/operations/projections/users/pause")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.state")
                .isEqualTo("PAUSED");
        EventWritten held = users.create("held");

        http.get()
                .uri("/api/users?minPosition={p}", held.position())
                .exchange()
                .expectStatus()
                .isEqualTo(503);

        http.post()
                .uri("/api/operations/projections/users/resume")
                .exchange()
                .expectStatus()
                .isOk();
        http.get()
                .uri("/api/users/{id}?minPosition={p}", held.userId(), held.position())
                .exchange()
                .expectStatus()
                .isOk();
        http.post()
                .uri("/api/operations/projections/users/resume")
                .exchange()
                .expectStatus()
                .isEqualTo(409);
        http.post()
                .uri("/api/operations/projections/nothing/pause")
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void aRebuildUnderConcurrentWritesEndsLikeAFreshRebuildWhileReadsAreServed() throws Exception {
        for (int i = 0; i < 40; i++) {
            users.create("before-rebuild-" + i);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong lastPosition = new AtomicLong();
        AtomicInteger failedReads = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        Thread writer = Thread.ofPlatform().start(() -> {
            int n = 0;
            while (writing.get()) {
                EventWritten written = users.create("during-rebuild-" + n++);
                lastPosition.accumulateAndGet(written.position(), Math::max);
            }
        });
        Thread reader = Thread.ofPlatform().start(() -> {
            while (writing.get()) {
                try {
                    http.get()
                            .uri("/api/users?size=5")
                            .exchange()
                            .expectStatus()
                            .isOk()
                            .expectBody()
                            .jsonPath("$.totalItems")
                            .value(total ->
                                    assertThat(((Number) total).longValue()).isPositive());
                    reads.incrementAndGet();
                } catch (AssertionError | RuntimeException e) {
                    failedReads.incrementAndGet();
                }
            }
        });

        http.post()
                .uri("/api/operations/projections/users/rebuild")
                .exchange()
                .expectStatus()
                .isAccepted();
        eventually(() -> "DONE".equals(rebuildState()));
        Thread.sleep(300);
        writing.set(false);
        writer.join();
        reader.join();
        queries.awaitPosition(lastPosition.get());

        assertThat(failedReads.get()).isZero();
        assertThat(reads.get()).isPositive();
        http.get()
                .uri("/api/operations/projections/users")
                .exchange()
                .expectBody()
                .jsonPath("$.rebuild.done")
                .value(done -> assertThat(((Number) done).longValue()).isPositive())
                .jsonPath("$.rebuild.eventsPerSecond")
                .isNumber();
        List<Map<String, Object>> current = rows("users.current_users", "user_id");
        List<Map<String, Object>> history = rows("users.user_history", "user_id, version");

        http.post()
                .uri("/api/operations/projections/users/rebuild")
                .exchange()
                .expectStatus()
                .isAccepted();
        eventually(() -> "DONE".equals(rebuildState()));

        assertThat(rows("users.current_users", "user_id")).isEqualTo(current);
        assertThat(rows("users.user_history", "user_id, version")).isEqualTo(history);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM pg_indexes WHERE tablename LIKE '%\\_next%'", Integer.class))
                .isZero();
        assertThat(jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE schemaname = 'users'", String.class))
                .contains("current_users_pkey", "user_history_pkey");
    }

    @Test
    void metricsArePublishedForPrometheus() {
        users.create("metered");
        assertThat(prometheus(http))
                .contains("onepg_appends_seconds_count")
                .contains("onepg_projection_lag_events{projection=\"users\"")
                .contains("onepg_projection_lag_seconds")
                .contains("onepg_notifications_received_total")
                .contains("onepg_notifications_sent_total");
    }

    /** Requests are timed as a whole; no meter per security filter, nor one counting requests in flight. */
    @Test
    void requestsAreTimedWithoutAnObservationPerSecurityFilter() {
        http.get().uri("/api/users").exchange().expectStatus().isOk();
        assertThat(prometheus(http))
                .contains("http_server_requests_seconds_count{")
                .doesNotContain("spring_security_")
                .doesNotContain("http_server_requests_active");
    }

    /** The state of the last rebuild; a failed one fails the test at once, with its error. */
    private String rebuildState() {
        Object state = http.get()
                .uri("/api/operations/projections/users")
                .exchange()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("rebuild");
        if (state instanceof Map<?, ?> rebuild) {
            if ("FAILED".equals(rebuild.get("state"))) {
                throw new AssertionError("the rebuild failed: " + rebuild.get("error"));
            }
            return String.valueOf(rebuild.get("state"));
        }
        return "NONE";
    }

    private List<Map<String, Object>> rows(String table, String order) {
        return jdbc.queryForList("SELECT * FROM " + table + " ORDER BY " + order);
    }
}
