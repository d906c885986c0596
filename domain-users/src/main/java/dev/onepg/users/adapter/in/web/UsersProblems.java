package dev.onepg.users.adapter.in.web;

import dev.onepg.users.application.port.in.EmailTaken;
import dev.onepg.users.application.port.in.EventIdReused;
import dev.onepg.users.application.port.in.VersionConflict;
import dev.onepg.users.application.port.in.ViewsBehind;
import dev.onepg.users.domain.InvalidUserData;
import dev.onepg.users.domain.UserRuleViolation;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The users API's answer to each way a request can be refused, as an RFC 9457 problem. */
@RestControllerAdvice(assignableTypes = UsersController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class UsersProblems {

    private static final String TYPES = "https://onepg.dev/problems/";

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalid(InvalidUserData error) {
        ProblemDetail problem =
                problem(HttpStatus.BAD_REQUEST, "invalid-field", "Invalid request: " + error.getMessage() + ".");
        problem.setProperty("field", error.field());
        return answer(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> staleVersion(VersionConflict error) {
        ProblemDetail problem = problem(
                HttpStatus.CONFLICT,
                "wrong-expected-version",
                "The user is at version " + error.currentVersion() + ", not at the expected one: " + error.getMessage()
                        + ".");
        problem.setProperty("currentVersion", error.currentVersion());
        return answer(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> staleIfMatch(StaleIfMatch error) {
        VersionConflict cause = (VersionConflict) error.getCause();
        ProblemDetail problem = problem(
                HttpStatus.PRECONDITION_FAILED,
                "stale-if-match",
                "If-Match does not match: the user is at version " + cause.currentVersion() + ".");
        problem.setProperty("currentVersion", cause.currentVersion());
        return ResponseEntity.status(HttpStatus.PRECONDITION_FAILED)
                .eTag("\"" + cause.currentVersion() + "\"")
                .body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> reusedEventId(EventIdReused error) {
        ProblemDetail problem = problem(
                HttpStatus.CONFLICT,
                "event-id-reused",
                "Event id " + error.eventId() + " is already used by another event; choose a new id for a new event.");
        problem.setProperty("eventId", error.eventId());
        return answer(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> emailTaken(EmailTaken error) {
        return answer(problem(
                HttpStatus.CONFLICT,
                "email-taken",
                "The email '" + error.email() + "' is already used by another user."));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> ruleBroken(UserRuleViolation error) {
        ProblemDetail problem = problem(
                HttpStatus.CONFLICT,
                error.rule().name().toLowerCase().replace('_', '-'),
                "Refused: " + error.getMessage() + ".");
        return answer(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notFound(UserNotFound error) {
        return answer(problem(HttpStatus.NOT_FOUND, "user-not-found", "Not found: " + error.getMessage() + "."));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> viewsBehind(ViewsBehind error) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "views-behind",
                        "Not yet: " + error.getMessage() + "; retry shortly."));
    }

    private static ProblemDetail problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPES + type));
        return problem;
    }

    private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }
}
