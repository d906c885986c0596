package dev.onepg.platform.security;

import dev.onepg.platform.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;

/** Answers an authenticated caller without the route's permission with 403 and the permission it lacks. */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    private final RoutePermissions routes;
    private final ProblemResponses problems;

    ProblemAccessDeniedHandler(RoutePermissions routes, ProblemResponses problems) {
        this.routes = routes;
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        String who = caller == null ? "the caller" : caller.getName();
        String detail = routes.requiredBy(request)
                .map(permission ->
                        "This route needs the permission " + permission.authority() + ", which " + who + " lacks.")
                .orElse("This route is not open to " + who + ".");
        problems.write(request, response, HttpStatus.FORBIDDEN, detail);
    }
}
