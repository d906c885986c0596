package dev.onepg.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/** How callers prove who they are in the configured mode, and how a refused caller is told to try again. */
interface CallerAuthentication {

    /** Adds this mode's authentication to the chain; failed attempts go to {@code refusal}. */
    void configure(HttpSecurity http, AuthenticationEntryPoint refusal) throws Exception;

    /** Sets the {@code WWW-Authenticate} challenge of this mode (and, for bearer errors, their status). */
    void challenge(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason);

    /** What a caller sends to authenticate, for the detail of a 401 ("a bearer token"). */
    String credentials();

    /** Why the credentials a caller sent were refused, for the detail of a 401. */
    String refused(AuthenticationException reason);
}
