package dev.onepg.platform.testing;

import org.springframework.test.web.servlet.client.RestTestClient;

/** Clients of the API that send a caller's credentials with every request. */
public final class TestCallers {

    private TestCallers() {}

    /** The built-in development user with every permission. */
    public static RestTestClient dev(RestTestClient http) {
        return basic(http, "dev", "dev");
    }

    public static RestTestClient basic(RestTestClient http, String name, String password) {
        return http.mutate()
                .defaultHeaders(headers -> headers.setBasicAuth(name, password))
                .build();
    }

    public static RestTestClient bearer(RestTestClient http, String token) {
        return http.mutate()
                .defaultHeaders(headers -> headers.setBearerAuth(token))
                .build();
    }
}
