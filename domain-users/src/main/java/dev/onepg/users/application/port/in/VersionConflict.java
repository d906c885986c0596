package dev.onepg.users.application.port.in;

import dev.onepg.users.UserId;

/** The user is not at the version the request expected, or changed under it too often to decide. */
public final class VersionConflict extends RuntimeException {

    private final UserId userId;
    private final long currentVersion;

    public VersionConflict(UserId userId, long currentVersion, String reason, Throwable cause) {
        super(reason, cause);
        this.userId = userId;
        this.currentVersion = currentVersion;
    }

    public UserId userId() {
        return userId;
    }

    /** The user's version when the request was refused; 0 if the user has no events. */
    public long currentVersion() {
        return currentVersion;
    }
}
