package dev.onepg.platform.security;

/** The configuration leaves no safe way to authenticate callers, so the service refuses to start. */
final class SecuritySetupIncomplete extends RuntimeException {

    private final String description;
    private final String action;

    private SecuritySetupIncomplete(String description, String action) {
        super(description + " " + action);
        this.description = description;
        this.action = action;
    }

    static SecuritySetupIncomplete noUsersForAConfiguredDatabase() {
        return new SecuritySetupIncomplete(
                "No callers can authenticate: onepg.security.mode is basic and no users are configured"
                        + " (onepg.security.users), and the built-in development users (dev/dev) are refused because"
                        + " the service runs on a configured database (spring.datasource.url), not the embedded one.",
                "Configure the users who may call the API as onepg.security.users[0].name, .password (a {bcrypt}"
                        + " hash) and .permissions (" + Permission.allNames() + "); or validate tokens of an"
                        + " OpenID Connect provider with onepg.security.mode=jwt and"
                        + " spring.security.oauth2.resourceserver.jwt.issuer-uri; or, on a throwaway local database"
                        + " only, allow the development users with onepg.security.allow-default-users=true.");
    }

    static SecuritySetupIncomplete noIssuerForJwt() {
        return new SecuritySetupIncomplete(
                "onepg.security.mode is jwt, but nothing is configured to validate the tokens with.",
                "Set spring.security.oauth2.resourceserver.jwt.issuer-uri to the issuer of your OpenID Connect"
                        + " provider (or spring.security.oauth2.resourceserver.jwt.jwk-set-uri to its key set).");
    }

    String description() {
        return description;
    }

    String action() {
        return action;
    }
}
