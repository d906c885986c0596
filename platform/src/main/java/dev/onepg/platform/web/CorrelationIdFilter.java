package dev.onepg.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a correlation id: the caller's {@code X-Correlation-Id} (or {@code X-Request-Id}) when it
 * is a sensible token, a new one otherwise. It goes into the log lines, the response, and the metadata of the
 * events the request writes.
 */
class CorrelationIdFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Correlation-Id";
    static final String MDC_KEY = "correlationId";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // An error dispatch (after a failure in a filter) keeps the id the request was given.
        String correlationId = request.getAttribute(MDC_KEY) instanceof String known ? known : null;
        if (correlationId == null) {
            correlationId = accepted(request.getHeader(HEADER));
        }
        if (correlationId == null) {
            correlationId = accepted(request.getHeader("X-Request-Id"));
        }
        if (correlationId == null) {
            correlationId = newCorrelationId();
        }
        request.setAttribute(MDC_KEY, correlationId);
        response.setHeader(HEADER, correlationId);
        MDC.put(MDC_KEY, correlationId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** The error page's answer names the same id as the log line of the failure that led there. */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    /**
     * A version 4 UUID from the thread's own generator. {@link UUID#randomUUID()} draws from the one
     * {@code SecureRandom} of the JVM behind a lock, on which every request thread queued (profiled at 32
     * connections: seconds of blocking per second of load); a correlation id needs to be unique, not secret.
     */
    static String newCorrelationId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    private static String accepted(String value) {
        return value != null && ACCEPTED.matcher(value).matches() ? value : null;
    }
}
