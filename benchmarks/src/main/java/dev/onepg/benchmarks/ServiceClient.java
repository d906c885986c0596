package dev.onepg.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load driver's HTTP client: one {@link HttpClient} (HTTP/1.1, keep-alive), so N threads that each wait for
 * their response keep at most N connections open. Every request carries the dev user's credentials.
 */
final class ServiceClient {

    /** {@code dev:dev}, the dev user of the embedded setup once security is on; harmless before. */
    static final String AUTHORIZATION = "Basic ZGV2OmRldg==";

    private static final Pattern POSITION = Pattern.compile("\"position\"\\s*:\\s*(\\d+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final URI base;

    ServiceClient(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    boolean healthy() {
        try {
            return get("/actuator/health").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records a {@code UsernameChanged}; returns the event's position in the log. */
    long changeUsername(String userId, String username) throws IOException, InterruptedException {
        return recordEvent(
                userId,
                "{\"eventId\":\"" + UserEventRows.randomUuid() + "\",\"type\":\"UsernameChanged\",\"data\":"
                        + "{\"username\":\"" + username + "\"}}");
    }

    /** Records a {@code UserCreated} (the service hashes the password with Argon2id); returns its position. */
    long createUser(UUID userId, String username, String email, String password)
            throws IOException, InterruptedException {
        return recordEvent(
                userId.toString(),
                "{\"eventId\":\"" + UserEventRows.randomUuid() + "\",\"type\":\"UserCreated\",\"data\":"
                        + "{\"username\":\"" + username + "\",\"email\":\"" + email + "\",\"password\":\""
                        + password + "\"}}");
    }

    private long recordEvent(String userId, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/api/users/" + userId + "/events", body);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
        }
        Matcher matcher = POSITION.matcher(response.body());
        if (!matcher.find()) {
            throw new IOException("no position in " + response.body());
        }
        return Long.parseLong(matcher.group(1));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return client.send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Authorization", AUTHORIZATION);
    }
}
