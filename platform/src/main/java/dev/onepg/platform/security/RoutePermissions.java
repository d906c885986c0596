package dev.onepg.platform.security;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which routes are public and which permission every other route needs: the one table that both authorizes
 * requests and names the missing permission in a 403.
 */
final class RoutePermissions {

    private static final PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();

    private final RequestMatcher open = new OrRequestMatcher(
            EndpointRequest.to("health", "info"),
            paths.matcher("/openapi/**"),
            paths.matcher("/swagger-ui/**"),
            paths.matcher("/swagger-ui.html"),
            paths.matcher("/v3/api-docs/**"),
            paths.matcher("/error"));

    /** In order: the first rule that matches a request decides. */
    private final Map<RequestMatcher, Permission> rules = new LinkedHashMap<>();

    RoutePermissions() {
        rules.put(EndpointRequest.toAnyEndpoint(), Permission.ADMIN);
        rules.put(paths.matcher("/api/operations/**"), Permission.ADMIN);
        rules.put(anyOf("/api/users/**", GET, HEAD), Permission.USERS_READ);
        rules.put(anyOf("/api/users/**", POST, PUT, PATCH, DELETE), Permission.USERS_WRITE);
    }

    void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(open).permitAll();
        rules.forEach((route, permission) -> requests.requestMatchers(route).hasAuthority(permission.authority()));
        // The rest of /api, and anything else: any authenticated caller (who gets 404 or 405 there).
        requests.anyRequest().authenticated();
    }

    Optional<Permission> requiredBy(HttpServletRequest request) {
        if (open.matches(request)) {
            return Optional.empty();
        }
        return rules.entrySet().stream()
                .filter(rule -> rule.getKey().matches(request))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static RequestMatcher anyOf(String pattern, HttpMethod... methods) {
        return new OrRequestMatcher(Arrays.stream(methods)
                .<RequestMatcher>map(method -> paths.matcher(method, pattern))
                .toList());
    }
}
