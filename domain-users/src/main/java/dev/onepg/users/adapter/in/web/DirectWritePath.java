package dev.onepg.users.adapter.in.web;

import dev.onepg.contracts.users.api.UsersApi;
import dev.onepg.contracts.users.model.EventRecorded;
import dev.onepg.contracts.users.model.RecordUserEventRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Validator;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a well-formed {@code POST /api/users/{userId}/events} without Spring MVC's dispatch: the write that the
 * service takes most often, whose finding of the handler, binding of arguments and negotiation of the answer cost
 * about as much CPU as the rest of the request (profiled at 32 connections, docs/benchmarks.md).
 *
 * <p>It runs last among the filters, after security, the correlation id and the request's observation, and it
 * calls the same controller method with what Spring MVC would have bound. Whatever it does not take on as Spring
 * MVC would, it leaves to Spring MVC, with the body as it was sent: another content type or {@code Accept}, a body
 * that is not valid JSON or not a valid request, a body sent without its length, a malformed {@code If-Match}, a path that is not the canonical
 * form of a UUID. Nothing has happened yet at that point. A refusal by the controller (a conflict, a stale
 * {@code If-Match}, a rule) is answered by Spring MVC's exception resolvers, the same advice as ever, so every
 * answer is the one Spring MVC gives. {@code onepg.users.direct-writes=false} sends every request through
 * Spring MVC.
 */
@Component
@ConditionalOnBooleanProperty(name = "onepg.users.direct-writes", matchIfMissing = true)
class DirectWritePath extends OncePerRequestFilter {

    private static final String PREFIX = "/api/users/";
    private static final String SUFFIX = "/events";
    private static final int UUID_LENGTH = 36;
    private static final int PATH_LENGTH = PREFIX.length() + UUID_LENGTH + SUFFIX.length();
    private static final Pattern IF_MATCH = Pattern.compile("^\"[0-9]{1,19}\"$");
    private static final String JSON = "application/json";

    private final UsersController controller;
    private final HandlerMethod handler;
    private final JsonMapper json;
    private final Validator validator;
    private final ObjectProvider<HandlerExceptionResolver> exceptionResolvers;
    private volatile @Nullable List<HandlerExceptionResolver> resolvers;

    DirectWritePath(
            UsersController controller,
            JsonMapper json,
            Validator validator,
            ObjectProvider<HandlerExceptionResolver> exceptionResolvers)
            throws NoSuchMethodException {
        this.controller = controller;
        Method recordUserEvent =
                UsersApi.class.getMethod("recordUserEvent", UUID.class, RecordUserEventRequest.class, String.class);
        this.handler = new HandlerMethod(controller, recordUserEvent);
        this.json = json;
        this.validator = validator;
        this.exceptionResolvers = exceptionResolvers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        UUID userId = recordUserEventTarget(request);
        // A body of unannounced length may run over the size limit while it is read: Spring MVC answers that.
        if (userId == null || request.getContentLengthLong() < 0 || !takesJsonInAndOut(request)) {
            chain.doFilter(request, response);
            return;
        }
        String ifMatch = request.getHeader(HttpHeaders.IF_MATCH);
        if (ifMatch != null && (!IF_MATCH.matcher(ifMatch).matches() || isRepeated(request, HttpHeaders.IF_MATCH))) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        RecordUserEventRequest event = validEvent(body);
        if (event == null) {
            chain.doFilter(new BufferedBodyRequest(request, body), response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(observation -> observation.setPathPattern(UsersApi.PATH_RECORD_USER_EVENT));
        ResponseEntity<EventRecorded> answer;
        try {
            answer = controller.recordUserEvent(userId, event, ifMatch);
        } catch (Exception refusal) {
            resolve(request, response, refusal);
            return;
        }
        write(answer, response);
    }

    /** The user of a {@code POST} to the path in its plain form; anything else is left to Spring MVC. */
    private static @Nullable UUID recordUserEventTarget(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || !request.getContextPath().isEmpty()) {
            return null;
        }
        String path = request.getRequestURI();
        if (path.length() != PATH_LENGTH || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
            return null;
        }
        String id = path.substring(PREFIX.length(), PREFIX.length() + UUID_LENGTH);
        return isCanonicalUuid(id) ? UUID.fromString(id) : null;
    }

    private static boolean isCanonicalUuid(String text) {
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            boolean fits = dash ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!fits) {
                return false;
            }
        }
        return true;
    }

    /** A JSON body in UTF-8 and an answer in JSON, the way clients send it; other forms go to Spring MVC. */
    private static boolean takesJsonInAndOut(HttpServletRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || isRepeated(request, HttpHeaders.CONTENT_TYPE)) {
            return false;
        }
        String type = contentType.replace(" ", "").toLowerCase(Locale.ROOT);
        if (!type.equals(JSON) && !type.equals(JSON + ";charset=utf-8")) {
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept == null
                || ((accept.equals("*/*") || accept.equals(JSON)) && !isRepeated(request, HttpHeaders.ACCEPT));
    }

    private static boolean isRepeated(HttpServletRequest request, String header) {
        Enumeration<String> values = request.getHeaders(header);
        values.nextElement();
        return values.hasMoreElements();
    }

    /** The request as Spring MVC would bind it, or {@code null} when Spring MVC would refuse it. */
    private @Nullable RecordUserEventRequest validEvent(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        RecordUserEventRequest event;
        try {
            event = json.readValue(body, RecordUserEventRequest.class);
        } catch (JacksonException notReadable) {
            return null;
        }
        return event != null && validator.validate(event).isEmpty() ? event : null;
    }

    private void write(ResponseEntity<EventRecorded> answer, HttpServletResponse response) throws IOException {
        byte[] body = json.writeValueAsBytes(answer.getBody());
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setContentType(JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** What {@link DispatcherServlet} does with an exception from a handler, without views (the API has none). */
    private void resolve(HttpServletRequest request, HttpServletResponse response, Exception refusal)
            throws ServletException, IOException {
        for (HandlerExceptionResolver resolver : resolvers()) {
            ModelAndView resolved = resolver.resolveException(request, response, handler, refusal);
            if (resolved != null && resolved.isEmpty()) {
                request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, refusal);
                return;
            }
            if (resolved != null) {
                break;
            }
        }
        switch (refusal) {
            case RuntimeException unchecked -> throw unchecked;
            case IOException io -> throw io;
            case ServletException servlet -> throw servlet;
            default -> throw new ServletException("Request processing failed: " + refusal, refusal);
        }
    }

    private List<HandlerExceptionResolver> resolvers() {
        List<HandlerExceptionResolver> known = resolvers;
        if (known == null) {
            known = exceptionResolvers.orderedStream().toList();
            resolvers = known;
        }
        return known;
    }
}
