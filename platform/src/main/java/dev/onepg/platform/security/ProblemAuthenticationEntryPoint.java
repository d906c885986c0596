package dev.onepg.platform.security;

import dev.onepg.platform.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/** Answers a caller who is not authenticated with 401, the mode's challenge, and a problem that says why. */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final CallerAuthentication callers;
    private final ProblemResponses problems;

    ProblemAuthenticationEntryPoint(CallerAuthentication callers, ProblemResponses problems) {
        this.callers = callers;
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason)
            throws IOException {
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        // A malformed bearer request is a 400 (RFC 6750); the bearer challenge sets that status itself.
        callers.challenge(request, response, reason);
        String detail = reason instanceof InsufficientAuthenticationException
                ? "This route needs an authenticated caller: send " + callers.credentials() + "."
                : callers.refused(reason);
        problems.write(request, response, HttpStatusCode.valueOf(response.getStatus()), detail);
    }
}
