package dev.onepg.users.adapter.in.web;

import dev.onepg.eventstore.WrongExpectedVersion;

/** The version in the request's {@code If-Match} header is not the user's current one. */
final class StaleIfMatch extends RuntimeException {

    StaleIfMatch(WrongExpectedVersion cause) {
        super(cause.getMessage(), cause);
    }
}
