package dev.onepg.platform.security;

import dev.onepg.platform.security.ApiSecurityProperties.ConfiguredUser;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The users HTTP Basic accepts: the configured ones, or the built-in development users where they are allowed. */
final class BasicUsers {

    static final List<ConfiguredUser> DEVELOPMENT = List.of(
            new ConfiguredUser("dev", "{noop}dev", List.of("users:read", "users:write", "admin")),
            new ConfiguredUser("reader", "{noop}reader", List.of("users:read")));

    private static final Logger log = LoggerFactory.getLogger(BasicUsers.class);

    private BasicUsers() {}

    /**
     * The configured users; without any, the development users, but only on the embedded database or when an
     * operator allows them explicitly, because their passwords are public.
     */
    static List<ConfiguredUser> of(ApiSecurityProperties properties, boolean embeddedDatabase) {
        if (!properties.users().isEmpty()) {
            return properties.users();
        }
        if (!embeddedDatabase && !properties.allowDefaultUsers()) {
            throw SecuritySetupIncomplete.noUsersForAConfiguredDatabase();
        }
        log.warn(
                "Callers authenticate as the built-in development users dev/dev (every permission) and reader/reader"
                        + " (users:read) because {}. Configure onepg.security.users or onepg.security.mode=jwt"
                        + " before this service holds anything that matters.",
                embeddedDatabase
                        ? "the service runs on the embedded database"
                        : "onepg.security.allow-default-users is true");
        return DEVELOPMENT;
    }
}
