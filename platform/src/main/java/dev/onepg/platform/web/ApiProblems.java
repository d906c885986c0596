package dev.onepg.platform.web;

import dev.onepg.platform.eventstore.TransientDatabaseFailure;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error the framework raises, answered as an RFC 9457 problem with a message that says what was wrong
 * and where. Domain errors are answered by each domain's own advice, which comes first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);
    private static final String TYPES = "https://onepg.dev/problems/";
    private static final String RETRY_AFTER_SECONDS = "1";

    private final long bodyLimit;

    ApiProblems(WebProperties properties) {
        this.bodyLimit = properties.maxRequestBodySize().toBytes();
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (causedBy(exception, RequestSizeLimitFilter.BodyTooLarge.class)) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, RequestSizeLimitFilter.tooLargeDetail(bodyLimit), request);
        }
        JacksonException json = cause(exception, JacksonException.class);
        String detail;
        String field = json == null || json.getPath().isEmpty() ? null : path(json);
        if (json instanceof UnrecognizedPropertyException unknown) {
            detail = "Field '" + field + "' is not part of this request; the known fields are "
                    + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", "))
                    + ".";
        } else if (json instanceof InputCoercionException && field != null) {
            detail = "Field '" + field + "' is out of range: " + firstLine(json.getOriginalMessage());
        } else if (json instanceof StreamReadException && !(json instanceof InputCoercionException)) {
            detail = "The request body is not valid JSON: " + firstLine(json.getOriginalMessage());
        } else if (field != null) {
            detail = "Field '" + field + "' has the wrong type: " + firstLine(json.getOriginalMessage());
        } else if (json != null) {
            detail = "The request body does not have the expected shape: " + firstLine(json.getOriginalMessage());
        } else {
            detail = "The request body is missing or unreadable.";
        }
        ResponseEntity<Object> answer = problem(HttpStatus.BAD_REQUEST, detail, request);
        if (field != null && answer.getBody() instanceof ProblemDetail problem) {
            problem.setProperty("field", field);
        }
        return answer;
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = exception.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        String detail = exception.getBindingResult().getFieldErrors().stream()
                .map(ApiProblems::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Invalid request: " + detail + ".");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException exception,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        String detail = exception.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors errors
                        ? errors.getFieldErrors().stream().map(ApiProblems::describe)
                        : result.getResolvableErrors().stream()
                                .map(error ->
                                        parameterName(result.getMethodParameter()) + " " + error.getDefaultMessage()))
                .sorted()
                .collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, "Invalid request: " + detail + ".", request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(
            NoResourceFoundException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(
                HttpStatus.NOT_FOUND,
                "There is nothing at " + exception.getHttpMethod() + " /" + exception.getResourcePath() + ".",
                request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException exception, WebRequest request) {
        String expected = exception.getRequiredType() == null
                ? "a different value"
                : switch (exception.getRequiredType().getSimpleName()) {
                    case "UUID" -> "a UUID";
                    case "Long", "long", "Integer", "int" -> "a whole number";
                    case "OffsetDateTime", "Instant" -> "an ISO-8601 instant such as 2026-01-31T12:00:00Z";
                    default -> "a " + exception.getRequiredType().getSimpleName();
                };
        return problem(
                HttpStatus.BAD_REQUEST,
                exception.getName() + " must be " + expected + ", was '" + exception.getValue() + "'.",
                request);
    }

    /**
     * Everything no other handler answers. A database failure that may pass is a 503 the client retries (with the
     * same event id); anything else is a 500. Neither tells the client more than the correlation id: the log has
     * the full error, once, under that id.
     */
    @ExceptionHandler(Exception.class)
    @Nullable
    ResponseEntity<Object> unexpected(Exception exception, WebRequest request) {
        if (!TransientDatabaseFailure.isDatabaseFailure(exception)
                && DisconnectedClientHelper.isClientDisconnectedException(exception)) {
            // Nobody is left to read an answer.
            return null;
        }
        String correlationId = MDC.get(CorrelationIdFilter.MDC_KEY);
        ProblemDetail problem;
        if (TransientDatabaseFailure.isTransient(exception)) {
            log.warn("Request {} failed on a passing database failure; answered 503", correlationId, exception);
            problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "The database failed for a passing reason, also when tried again. Try again after Retry-After"
                            + " seconds; a write sent again with the same event id is stored at most once.");
            problem.setType(URI.create(TYPES + "temporarily-unavailable"));
        } else {
            log.error("Request {} failed unexpectedly; answered 500", correlationId, exception);
            problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "The service failed unexpectedly. Quote the correlation id " + correlationId
                            + " when reporting it.");
            problem.setType(URI.create(TYPES + "internal-error"));
        }
        problem.setProperty("correlationId", correlationId);
        ResponseEntity.BodyBuilder answer =
                ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            answer.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return answer.body(problem);
    }

    /** The name the client used: the header's or query parameter's, not the Java parameter's. */
    private static String parameterName(MethodParameter parameter) {
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        if (header != null && !header.value().isEmpty()) {
            return header.value();
        }
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        if (param != null && !param.value().isEmpty()) {
            return param.value();
        }
        return String.valueOf(parameter.getParameterName());
    }

    private static String describe(FieldError error) {
        return error.getField() + " " + error.getDefaultMessage();
    }

    private ResponseEntity<Object> problem(HttpStatus status, String detail, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        return ResponseEntity.status(status).body(problem);
    }

    private static String path(JacksonException exception) {
        return exception.getPath().stream()
                .map(reference -> reference.getPropertyName() != null
                        ? reference.getPropertyName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        return cause(error, type) != null;
    }

    private static <T extends Throwable> @Nullable T cause(Throwable error, Class<T> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }
}
