package dev.onepg.platform.security;

import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresServer;
import dev.onepg.platform.web.ProblemResponses;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * One stateless filter chain for the whole service: the configured way to authenticate, the permission of each
 * route, and refusals as problem details. Commands without a web server (such as {@code db migrate}) skip it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ApiSecurityProperties.class)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, CallerAuthentication callers) throws Exception {
        RoutePermissions routes = new RoutePermissions();
        ProblemResponses problems = new ProblemResponses();
        AuthenticationEntryPoint refusal = new ProblemAuthenticationEntryPoint(callers, problems);
        // No cookies, no sessions: CSRF protection, the request cache and logout have nothing to protect.
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(routes::authorize)
                .exceptionHandling(refusals -> refusals.authenticationEntryPoint(refusal)
                        .accessDeniedHandler(new ProblemAccessDeniedHandler(routes, problems)));
        callers.configure(http, refusal);
        return http.build();
    }

    /**
     * No Micrometer observation per security filter, authentication and authorization: with them every request
     * started and stopped one observation per filter of the chain (about 6 % of a request's CPU, profiled at 32
     * connections). Without this bean the filters are not even wrapped. Requests are still timed as a whole
     * ({@code http.server.requests}).
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's firewall with its defaults, its checks of header names and values done without regular
     * expressions ({@link HeaderCharacters}).
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::allowedInName);
        firewall.setAllowedHeaderValues(HeaderCharacters::allowedInValue);
        return firewall;
    }

    /** A request the firewall refuses, such as one with {@code //} in its path, is a 400 problem too. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        ProblemResponses problems = new ProblemResponses();
        return (request, response, rejected) ->
                problems.write(request, response, HttpStatus.BAD_REQUEST, rejected.getMessage() + ".");
    }

    @Bean
    CallerAuthentication callerAuthentication(
            ApiSecurityProperties properties,
            ObjectProvider<EmbeddedPostgresServer> embeddedDatabase,
            ObjectProvider<JwtDecoder> jwtDecoder) {
        return switch (properties.mode()) {
            case BASIC ->
                new HttpBasicAuthentication(BasicUsers.of(properties, embeddedDatabase.getIfAvailable() != null));
            case JWT ->
                new BearerJwtAuthentication(
                        jwtDecoder.getIfAvailable(() -> {
                            throw SecuritySetupIncomplete.noIssuerForJwt();
                        }),
                        properties.jwt());
        };
    }
}
