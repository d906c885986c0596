package dev.onepg.app.users;

import static dev.onepg.app.users.DirectWritePathIT.Exchange.answered;
import static dev.onepg.app.users.DirectWritePathIT.Exchange.leftToSpringMvc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.eventstore.postgres.testing.TestDatabase;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.context.support.ServletRequestHandledEvent;

/**
 * The direct write path answers every request exactly as Spring MVC does. Two services, each on a database of its
 * own, take the same requests in the same order: one with the direct path, one with {@code
 * onepg.users.direct-writes=false}. Every answer (status, headers, body) is the same, and only the requests the
 * direct path leaves to Spring MVC reach its dispatcher.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectWritePathIT {

    private static final UUID USER = UUID.randomUUID();
    private static final UUID OTHER_USER = UUID.randomUUID();
    private static final String EVENTS = "/api/users/" + USER + "/events";
    private static final UUID CREATED = UUID.randomUUID();
    private static final UUID RENAMED = UUID.randomUUID();
    private static final String DEV = "Basic " + Base64.getEncoder().encodeToString("dev:dev".getBytes());

    private final HttpClient client = HttpClient.newHttpClient();
    private Service direct;
    private Service dispatched;

    /** One running service and the requests its dispatcher has seen. */
    private record Service(ConfigurableApplicationContext context, AtomicInteger dispatches) {

        URI uri(String path) {
            return URI.create(
                    "http://localhost:" + context.getEnvironment().getRequiredProperty("local.server.port") + path);
        }
    }

    /** One request of the sequence, its expected status, and whether the direct path leaves it to Spring MVC. */
    record Exchange(
            String kind, String path, Map<String, String> headers, String body, int status, boolean toDispatcher) {

        /** A request the direct path answers itself, to the sequence's user until {@link #to} says otherwise. */
        static Exchange answered(String kind, int status) {
            return new Exchange(kind, EVENTS, Map.of(), "", status, false);
        }

        /** A request the direct path passes on to Spring MVC. */
        static Exchange leftToSpringMvc(String kind, int status) {
            return new Exchange(kind, EVENTS, Map.of(), "", status, true);
        }

        Exchange to(String otherPath) {
            return new Exchange(kind, otherPath, headers, body, status, toDispatcher);
        }

        Exchange header(String name, String value) {
            Map<String, String> more = new TreeMap<>(headers);
            more.put(name, value);
            return new Exchange(kind, path, Map.copyOf(more), body, status, toDispatcher);
        }

        Exchange sending(String requestBody) {
            return new Exchange(kind, path, headers, requestBody, status, toDispatcher);
        }

        @Override
        public String toString() {
            return kind;
        }
    }

    @BeforeAll
    void startBothServices() {
        direct = start(true);
        dispatched = start(false);
    }

    @AfterAll
    void stopBothServices() {
        direct.context().close();
        dispatched.context().close();
    }

    static Stream<Exchange> sequence() {
        String json = "application/json";
        String created = userCreated(CREATED, "direct", "direct@example.org");
        return Stream.of(
                answered("a new user", 201).sending(created),
                answered("the same write again", 200).sending(created),
                answered("a change at the version in If-Match", 201)
                        .header("If-Match", "\"1\"")
                        .sending(renamed(RENAMED, "direct-2", null)),
                answered("a stale If-Match", 412).header("If-Match", "\"1\"").sending(renamed("direct-3", null)),
                answered("a stale expected version", 409).sending(renamed("direct-3", 0L)),
                answered("an event id used by another event", 409).sending(renamed(CREATED, "direct-4", null)),
                answered("If-Match contradicting the expected version", 400)
                        .header("If-Match", "\"2\"")
                        .sending(renamed("direct-4", 5L)),
                answered("a rule of the user broken", 409)
                        .sending(userCreated(UUID.randomUUID(), "again", "again@example.org")),
                answered("an email another user has", 409)
                        .to("/api/users/" + OTHER_USER + "/events")
                        .sending(userCreated(UUID.randomUUID(), "other", "direct@example.org")),
                answered("data invalid for the type", 400).sending(renamed("no spaces", null)),
                answered("a charset in the content type", 201)
                        .header("Content-Type", json + "; charset=UTF-8")
                        .sending(renamed("direct-5", null)),
                answered("any answer accepted", 201).header("Accept", "*/*").sending(renamed("direct-6", null)),
                answered("JSON answers accepted", 201).header("Accept", json).sending(renamed("direct-7", null)),
                leftToSpringMvc("only problems accepted", 201)
                        .header("Accept", "application/problem+json")
                        .sending(renamed("direct-8", null)),
                leftToSpringMvc("XML answers asked for", 406)
                        .header("Accept", "application/xml")
                        .sending(renamed("direct-9", null)),
                leftToSpringMvc("a body in plain text", 415)
                        .header("Content-Type", "text/plain")
                        .sending(renamed("direct-9", null)),
                leftToSpringMvc("a body in another charset", 201)
                        .header("Content-Type", json + ";charset=ISO-8859-1")
                        .sending(renamed("direct-9", null)),
                leftToSpringMvc("a malformed If-Match", 400)
                        .header("If-Match", "W/\"3\"")
                        .sending(renamed("direct-10", null)),
                leftToSpringMvc("a body that is not JSON", 400).sending("{\"eventId\":"),
                leftToSpringMvc("an empty body", 400).sending(""),
                leftToSpringMvc("a field the contract does not know", 400)
                        .sending("{\"eventId\":\"" + UUID.randomUUID()
                                + "\",\"type\":\"UserDeleted\",\"data\":{},\"x\":1}"),
                leftToSpringMvc("a type the contract does not know", 400)
                        .sending("{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UserFrozen\",\"data\":{}}"),
                leftToSpringMvc("a required field missing", 400)
                        .sending("{\"type\":\"UsernameChanged\",\"data\":{\"username\":\"direct-11\"}}"),
                leftToSpringMvc("a negative expected version", 400).sending(renamed("direct-11", -1L)),
                leftToSpringMvc("a user id that is not a UUID", 400)
                        .to("/api/users/not-a-uuid/events")
                        .sending(renamed("direct-11", null)),
                leftToSpringMvc("a user id in a short form of a UUID", 201)
                        .to("/api/users/1-2-3-4-5/events")
                        .sending(userCreated(UUID.randomUUID(), "short", "short@example.org")),
                answered("an upper-case user id", 201)
                        .to("/api/users/" + USER.toString().toUpperCase() + "/events")
                        .sending(renamed("direct-12", null)),
                leftToSpringMvc("a path with an encoded character", 201)
                        .to("/api/users/" + USER + "/event%73")
                        .sending(renamed("direct-13", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequence")
    void answersAsSpringMvcDoes(Exchange exchange) throws Exception {
        int directDispatchesBefore = direct.dispatches().get();
        int dispatchesBefore = dispatched.dispatches().get();

        HttpResponse<String> viaDirect = send(direct, exchange);
        HttpResponse<String> viaDispatcher = send(dispatched, exchange);

        assertThat(viaDirect.statusCode()).as(viaDirect.body()).isEqualTo(exchange.status());
        assertThat(viaDirect.statusCode()).isEqualTo(viaDispatcher.statusCode());
        assertThat(comparableHeaders(viaDirect)).isEqualTo(comparableHeaders(viaDispatcher));
        assertThat(comparableBody(viaDirect)).isEqualTo(comparableBody(viaDispatcher));
        assertThat(direct.dispatches().get() - directDispatchesBefore)
                .as("requests that reached Spring MVC's dispatcher")
                .isEqualTo(exchange.toDispatcher() ? 1 : 0);
        assertThat(dispatched.dispatches().get() - dispatchesBefore).isEqualTo(1);
    }

    /** A body streamed in chunks, with no length announced, stops being read at the limit, on either path. */
    @Test
    void refusesAStreamedBodyOverTheLimitAsSpringMvcDoes() throws Exception {
        String tooLarge = renamed(UUID.randomUUID(), "x".repeat(70_000), null);
        int directDispatchesBefore = direct.dispatches().get();

        HttpResponse<String> viaDirect = sendStreamed(direct, tooLarge);
        HttpResponse<String> viaDispatcher = sendStreamed(dispatched, tooLarge);

        assertThat(viaDirect.statusCode()).isEqualTo(413);
        assertThat(viaDirect.statusCode()).isEqualTo(viaDispatcher.statusCode());
        assertThat(comparableHeaders(viaDirect)).isEqualTo(comparableHeaders(viaDispatcher));
        assertThat(viaDirect.body()).isEqualTo(viaDispatcher.body());
        assertThat(direct.dispatches().get() - directDispatchesBefore).isEqualTo(1);
    }

    private HttpResponse<String> sendStreamed(Service service, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(service.uri(EVENTS))
                .header("Authorization", DEV)
                .header("X-Correlation-Id", "direct-write-path-it")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(Service service, Exchange exchange) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(exchange.path()))
                .header("Authorization", DEV)
                .header("X-Correlation-Id", "direct-write-path-it")
                .POST(HttpRequest.BodyPublishers.ofString(exchange.body()));
        if (!exchange.headers().containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        exchange.headers().forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Every header but the date and the length (positions in the log may differ in their digits). */
    private static Map<String, List<String>> comparableHeaders(HttpResponse<String> response) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().map().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("date") && !name.equalsIgnoreCase("content-length")) {
                headers.put(name, values);
            }
        });
        List<String> length = response.headers().allValues("content-length");
        if (!length.isEmpty()) {
            assertThat(Integer.parseInt(length.getFirst()))
                    .isEqualTo(response.body().getBytes(StandardCharsets.UTF_8).length);
        }
        return headers;
    }

    /** The body with the event's position in the global log, which each database gives out on its own. */
    private static String comparableBody(HttpResponse<String> response) {
        return response.body().replaceAll("\"position\":[0-9]+", "\"position\":_");
    }

    private static Service start(boolean directWrites) {
        TestDatabase database = TestDatabases.create();
        AtomicInteger dispatches = new AtomicInteger();
        ApplicationListener<ApplicationEvent> counter = event -> {
            if (event instanceof ServletRequestHandledEvent handled
                    && handled.getRequestUrl().startsWith("/api/")) {
                dispatches.incrementAndGet();
            }
        };
        // As arguments: they come before the settings of the service's own files.
        String[] arguments = {
            "--server.port=0",
            "--spring.datasource.url=" + database.jdbcUrl(),
            "--spring.datasource.username=" + database.username(),
            "--spring.datasource.password=" + database.password(),
            "--onepg.security.allow-default-users=true",
            "--spring.mvc.publish-request-handled-events=true",
            "--onepg.users.direct-writes=" + directWrites
        };
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OnePgApplication.class)
                .listeners(counter)
                .run(arguments);
        return new Service(context, dispatches);
    }

    private static String userCreated(UUID eventId, String username, String email) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"UserCreated\",\"data\":{\"username\":\"" + username
                + "\",\"email\":\"" + email + "\",\"password\":\"long enough\"}}";
    }

    /** A new event: a fresh event id, taken once when the sequence is made, so both services get the same. */
    private static String renamed(String username, Long expectedVersion) {
        return renamed(UUID.randomUUID(), username, expectedVersion);
    }

    private static String renamed(UUID eventId, String username, Long expectedVersion) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"UsernameChanged\",\"data\":{\"username\":\"" + username
                + "\"}" + (expectedVersion == null ? "" : ",\"expectedVersion\":" + expectedVersion) + "}";
    }
}
