package dev.onepg.platform.operations;

import dev.onepg.eventstore.postgres.projection.ProjectionStateConflict;
import dev.onepg.eventstore.postgres.projection.UnknownProjection;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@RestControllerAdvice(assignableTypes = OperationsController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OperationsProblems {

    @ExceptionHandler
    ProblemDetail unknown(UnknownProjection error) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, error.getMessage() + ".");
    }

    @ExceptionHandler
    ProblemDetail conflict(ProjectionStateConflict error) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, error.getMessage() + ".");
    }

    @ExceptionHandler
    ProblemDetail invalid(IllegalArgumentException error) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, error.getMessage() + ".");
    }
}
