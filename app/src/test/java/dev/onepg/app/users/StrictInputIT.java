package dev.onepg.app.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Every route, every parameter, every kind of bad input: a 400 problem that names the field, and nothing stored. */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "onepg.users.read-your-writes-timeout=200ms")
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrictInputIT {

    private static final UUID USER = UUID.randomUUID();
    private static final String EVENTS = "/api/users/" + USER + "/events";
    private static final String REVERT = "/api/users/" + USER + "/revert";
    private static final String USERS = "/api/users";
    private static final String ONE_USER = "/api/users/" + USER;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    RestTestClient http;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient anonymous) {
        http = TestCallers.dev(anonymous);
    }

    @BeforeAll
    void aUserToChange() {
        http.post()
                .uri(EVENTS)
                .contentType(MediaType.APPLICATION_JSON)
                .body(event(
                        "UserCreated",
                        "{\"username\":\"strict\",\"email\":\"strict@example.org\"," + "\"password\":\"long enough\"}",
                        ""))
                .exchange()
                .expectStatus()
                .isCreated();
    }

    /** One bad request: where it goes, what it sends, and the field its refusal must name. */
    record BadInput(
            String kind,
            HttpMethod method,
            String uri,
            List<Object> variables,
            String ifMatch,
            String body,
            String field) {

        @Override
        public String toString() {
            return kind;
        }
    }

    static Stream<BadInput> badInputs() {
        return Stream.of(
                // POST /api/users/{userId}/events: the body
                post("unknown top-level field", EVENTS, renamed("\"expectedVerison\":1"), "expectedVerison"),
                post(
                        "unknown field in data",
                        EVENTS,
                        event("UsernameChanged", "{\"username\":\"strict2\",\"nickname\":\"x\"}", ""),
                        "data.nickname"),
                post("fraction for a whole number", EVENTS, renamed("\"expectedVersion\":2.7"), "expectedVersion"),
                post("number in quotes", EVENTS, renamed("\"expectedVersion\":\"1\""), "expectedVersion"),
                post(
                        "number beyond 64 bits",
                        EVENTS,
                        renamed("\"expectedVersion\":99999999999999999999"),
                        "expectedVersion"),
                post("negative version", EVENTS, renamed("\"expectedVersion\":-1"), "expectedVersion"),
                post("boolean for a number", EVENTS, renamed("\"expectedVersion\":true"), "expectedVersion"),
                post(
                        "NUL in a username",
                        EVENTS,
                        event("UsernameChanged", "{\"username\":\"ab\\u0000cd\"}", ""),
                        "data.username"),
                post(
                        "NUL in a password",
                        EVENTS,
                        event("PasswordChanged", "{\"password\":\"long\\u0000enough\"}", ""),
                        "data.password"),
                post(
                        "number for a username",
                        EVENTS,
                        event("UsernameChanged", "{\"username\":12345}", ""),
                        "data.username"),
                post(
                        "malformed event id",
                        EVENTS,
                        "{\"eventId\":\"nope\",\"type\":\"UserDeleted\",\"data\":{}}",
                        "eventId"),
                post(
                        "number for a type",
                        EVENTS,
                        "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":1,\"data\":{}}",
                        "type"),
                post(
                        "text for data",
                        EVENTS,
                        "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UserDeleted\",\"data\":\"x\"}",
                        "data"),
                // POST /api/users/{userId}/events: the If-Match header
                ifMatch("If-Match beyond 64 bits", EVENTS, "\"9999999999999999999\"", renamed("")),
                ifMatch("If-Match of twenty digits", EVENTS, "\"99999999999999999999\"", renamed("")),
                ifMatch("weak If-Match", EVENTS, "W/\"1\"", renamed("")),
                ifMatch("If-Match star", EVENTS, "*", renamed("")),
                ifMatch("unquoted If-Match", EVENTS, "1", renamed("")),
                // POST /api/users/{userId}/revert
                post("revert: unknown field", REVERT, revert("\"toVersion\":1,\"reason\":\"x\""), "reason"),
                post("revert: fraction", REVERT, revert("\"toVersion\":1.5"), "toVersion"),
                post("revert: number in quotes", REVERT, revert("\"toVersion\":\"1\""), "toVersion"),
                post("revert: below 1", REVERT, revert("\"toVersion\":0"), "toVersion"),
                post(
                        "revert: beyond 64 bits",
                        REVERT,
                        revert("\"toVersion\":1,\"expectedVersion\":1e30"),
                        "expectedVersion"),
                ifMatch(
                        "revert: If-Match beyond 64 bits",
                        REVERT,
                        "\"9223372036854775808\"",
                        revert("\"toVersion\":1")),
                // GET /api/users
                get("page below 0", USERS + "?page=-1", "page"),
                get("page a fraction", USERS + "?page=1.5", "page"),
                get("page beyond 32 bits", USERS + "?page=99999999999", "page"),
                get("size 0", USERS + "?size=0", "size"),
                get("size above 100", USERS + "?size=101", "size"),
                get("size text", USERS + "?size=ten", "size"),
                get("q with NUL", USERS + "?q={q}", "q", "a\u0000b"),
                get("q too long", USERS + "?q={q}", "q", "x".repeat(101)),
                get("asOf not a date", USERS + "?asOf=yesterday", "asOf"),
                get("asOf past year 9999", USERS + "?asOf={asOf}", "asOf", "+10000-01-01T00:00:00Z"),
                get("minPosition below 0", USERS + "?minPosition=-1", "minPosition"),
                get("minPosition a fraction", USERS + "?minPosition=0.5", "minPosition"),
                get("minPosition beyond 64 bits", USERS + "?minPosition=99999999999999999999", "minPosition"),
                // GET /api/users/{userId}
                get("user id not a UUID", USERS + "/not-a-uuid", "userId"),
                get("version 0", ONE_USER + "?version=0", "version"),
                get("version text", ONE_USER + "?version=two", "version"),
                get("version beyond 64 bits", ONE_USER + "?version=99999999999999999999", "version"),
                get("asOf with version", ONE_USER + "?version=1&asOf=2025-01-01T00:00:00Z", "asOf"),
                get("asOf without offset", ONE_USER + "?asOf=2025-01-01T00:00:00", "asOf"),
                get("user minPosition text", ONE_USER + "?minPosition=x", "minPosition"),
                // GET /api/users/{userId}/events
                get("history minPosition below 0", EVENTS + "?minPosition=-5", "minPosition"),
                get("history user id not a UUID", USERS + "/123/events", "userId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void refusesWithA400ProblemNamingTheFieldAndStoresNothing(BadInput input) {
        long eventsBefore = storedEvents();

        RestTestClient.RequestBodySpec request =
                http.method(input.method()).uri(input.uri(), input.variables().toArray());
        if (input.ifMatch() != null) {
            request.header(HttpHeaders.IF_MATCH, input.ifMatch());
        }
        if (input.body() != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(input.body());
        }
        EntityExchangeResult<String> answer =
                request.exchange().expectBody(String.class).returnResult();

        assertThat(answer.getStatus().value()).as(answer.getResponseBody()).isEqualTo(400);
        assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getResponseBody()).contains(input.field());
        assertThat(storedEvents()).isEqualTo(eventsBefore);
    }

    private long storedEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.events", Long.class);
    }

    private static BadInput post(String kind, String uri, String body, String field) {
        return new BadInput(kind, HttpMethod.POST, uri, List.of(), null, body, field);
    }

    private static BadInput ifMatch(String kind, String uri, String ifMatch, String body) {
        return new BadInput(kind, HttpMethod.POST, uri, List.of(), ifMatch, body, "If-Match");
    }

    private static BadInput get(String kind, String uri, String field, Object... variables) {
        return new BadInput(kind, HttpMethod.GET, uri, List.of(variables), null, null, field);
    }

    private static String renamed(String extra) {
        return event("UsernameChanged", "{\"username\":\"strict2\"}", extra);
    }

    private static String event(String type, String data, String extra) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"data\":" + data
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String revert(String fields) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\"," + fields + "}";
    }
}
