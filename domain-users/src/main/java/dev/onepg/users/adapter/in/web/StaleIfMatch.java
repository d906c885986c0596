package dev.onepg.users.adapter.in.web;

import dev.onepg.users.application.port.in.VersionConflict;

/** The version in the request's {@code If-Match} header is not the user's current one. */
final class StaleIfMatch extends RuntimeException {

    StaleIfMatch(VersionConflict cause) {
        super(cause.getMessage(), cause);
    }
}
