package dev.onepg.users.adapter.in.web;

/** The requested user does not exist (or not at the requested moment or version). */
final class UserNotFound extends RuntimeException {

    UserNotFound(String message) {
        super(message);
    }
}
