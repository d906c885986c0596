package dev.onepg.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Failures nobody handled on purpose are problems too: a passing database failure is a 503 to retry, anything
 * else a 500; neither is ever an empty success, and neither shows internals.
 */
@SpringBootTest(classes = OnePgApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import({FailureProblemsIT.PlantedFailures.class, FailureProblemsIT.FailingFilter.class})
@ExtendWith(OutputCaptureExtension.class)
class FailureProblemsIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    RestTestClient http;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient anonymous) {
        http = TestCallers.dev(anonymous);
    }

    /** Routes that fail the way a broken connection and a bug do. */
    @RestController
    static class PlantedFailures {

        @GetMapping("/api/planted/connection-lost")
        String connectionLost() {
            // What jOOQ throws when the pool hands out a connection whose server process is gone: the EOF at
            // the bottom once made Spring MVC take it for a client that went away, and answer an empty 200.
            throw new org.jooq.exception.DataAccessException(
                    "SQL [select secret_column from internal_table]; An I/O error occurred while sending to the backend.",
                    new PSQLException(
                            "An I/O error occurred while sending to the backend.",
                            PSQLState.CONNECTION_FAILURE,
                            new EOFException()));
        }

        @GetMapping("/api/planted/deadlock")
        String deadlock() {
            throw new org.jooq.exception.DataAccessException(
                    "SQL [update internal_table]; deadlock detected",
                    new PSQLException("deadlock detected", PSQLState.valueOf("DEADLOCK_DETECTED")));
        }

        @GetMapping("/api/planted/bug")
        String bug() {
            throw new IllegalStateException("internal detail at db.internal.example:5432");
        }
    }

    /** A servlet filter that fails, after security and before any controller, the way a bug in one would. */
    static class FailingFilter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getRequestURI().equals("/api/planted/in-filter")) {
                throw new IllegalStateException("filter detail at db.internal.example:5432");
            }
            chain.doFilter(request, response);
        }
    }

    @Test
    void aFailureInAServletFilterIsA500ProblemWithTheCorrelationIdAndNoInternals() {
        String correlationId = "filter-" + UUID.randomUUID();

        EntityExchangeResult<String> answer = problem("/api/planted/in-filter", correlationId, 500);

        assertThat(answer.getResponseBody())
                .contains("\"correlationId\":\"" + correlationId + "\"")
                .contains("internal-error")
                .doesNotContain("db.internal.example", "IllegalStateException", "\"timestamp\"");
    }

    @Test
    void aLostDatabaseConnectionIsA503ProblemToRetryNeverAnEmptySuccess(CapturedOutput output) {
        String correlationId = "lost-" + UUID.randomUUID();

        EntityExchangeResult<String> answer = problem("/api/planted/connection-lost", correlationId, 503);

        assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                .isEqualTo("1");
        assertThat(answer.getResponseBody())
                .contains("\"correlationId\":\"" + correlationId + "\"")
                .contains("same event id")
                .doesNotContain("secret_column", "internal_table", "PSQL", "SQL [", "at org.");
        assertThat(occurrences(output.getOut(), "DataAccessException: SQL [select secret_column"))
                .isEqualTo(1);
        assertThat(output.getOut()).contains(correlationId);
    }

    @Test
    void aDeadlockThatOutlivedTheRetriesIsA503Problem() {
        EntityExchangeResult<String> answer = problem("/api/planted/deadlock", "deadlock-" + UUID.randomUUID(), 503);

        assertThat(answer.getResponseBody()).doesNotContain("internal_table");
    }

    @Test
    void anUnforeseenFailureIsA500ProblemWithTheCorrelationIdAndNoInternals(CapturedOutput output) {
        String correlationId = "bug-" + UUID.randomUUID();

        EntityExchangeResult<String> answer = problem("/api/planted/bug", correlationId, 500);

        assertThat(answer.getResponseBody())
                .contains("\"correlationId\":\"" + correlationId + "\"")
                .doesNotContain("db.internal.example", "IllegalStateException", "\"timestamp\"");
        assertThat(occurrences(output.getOut(), "IllegalStateException: internal detail at db.internal.example"))
                .isEqualTo(1);
        assertThat(output.getOut()).contains(correlationId);
    }

    @Test
    void anIfMatchBeyondTheLargestVersionIsA400ProblemNamingIt() {
        deleteAnyUserIfMatch("\"9999999999999999999\"").jsonPath("$.field").isEqualTo("If-Match");
        deleteAnyUserIfMatch("\"99999999999999999999\"")
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("If-Match"));
    }

    @Test
    void aSearchForTheNulCharacterIsA400ProblemNamingIt() {
        http.get()
                .uri("/api/users?q={q}", "\u0000")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.field")
                .isEqualTo("q");
    }

    /** Asks to delete a user that does not exist with the given {@code If-Match}, expecting a 400 problem. */
    private RestTestClient.BodyContentSpec deleteAnyUserIfMatch(String ifMatch) {
        return http.post()
                .uri("/api/users/{id}/events", UUID.randomUUID())
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.IF_MATCH, ifMatch)
                .body("{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UserDeleted\",\"data\":{}}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody();
    }

    /** GETs the path with the correlation id, expecting a problem with the status. */
    private EntityExchangeResult<String> problem(String path, String correlationId, int status) {
        EntityExchangeResult<String> answer = http.get()
                .uri(path)
                .header("X-Correlation-Id", correlationId)
                .exchange()
                .expectBody(String.class)
                .returnResult();
        assertThat(answer.getStatus().value()).isEqualTo(status);
        assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        return answer;
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
