package dev.onepg.users.application.port.in;

import java.time.Duration;

/** The users views did not reach a requested position in time; the client may retry shortly. */
public final class ViewsBehind extends RuntimeException {

    private final long position;

    public ViewsBehind(long position, Duration waited) {
        super("the users views have not reached position " + position + " after " + waited.toMillis() + " ms");
        this.position = position;
    }

    public long position() {
        return position;
    }
}
