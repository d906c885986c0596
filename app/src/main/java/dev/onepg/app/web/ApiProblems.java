package dev.onepg.app.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Every error the framework raises, answered as an RFC 9457 problem with a message that says what was wrong
 * and where. Domain errors are answered by each domain's own advice, which comes first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

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
        if (json instanceof StreamReadException) {
            detail = "The request body is not valid JSON: " + firstLine(json.getOriginalMessage());
        } else if (json != null && !json.getPath().isEmpty()) {
            detail = "Field '" + path(json) + "' has the wrong type: " + firstLine(json.getOriginalMessage());
        } else if (json != null) {
            detail = "The request body does not have the expected shape: " + firstLine(json.getOriginalMessage());
        } else {
            detail = "The request body is missing or unreadable.";
        }
        return problem(HttpStatus.BAD_REQUEST, detail, request);
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
                                .map(error -> result.getMethodParameter().getParameterName() + " "
                                        + error.getDefaultMessage()))
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
