package dev.onepg.platform.security;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * How callers of the API authenticate.
 *
 * @param mode {@code basic}: HTTP Basic with {@code users}; {@code jwt}: bearer tokens from the issuer configured
 *     as {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (or {@code jwk-set-uri})
 * @param users the callers basic mode accepts; with none, the built-in development users where they are allowed
 * @param allowDefaultUsers allows the built-in development users on a configured database too, not only on the
 *     embedded one
 * @param jwt how the claims of a token make a caller
 */
@ConfigurationProperties("onepg.security")
record ApiSecurityProperties(
        @DefaultValue("basic") Mode mode,
        List<ConfiguredUser> users,
        boolean allowDefaultUsers,
        @DefaultValue Jwt jwt) {

    ApiSecurityProperties {
        // Unset lists bind as null.
        users = users == null ? List.of() : List.copyOf(users);
    }

    enum Mode {
        BASIC,
        JWT
    }

    /**
     * A caller of basic mode.
     *
     * @param password as {@code {bcrypt}...} (or any id of Spring Security's delegating password encoder);
     *     without an id it is taken as plain text, like {@code {noop}...}
     * @param permissions names of {@link Permission}s: {@code users:read}, {@code users:write}, {@code admin}
     */
    record ConfiguredUser(String name, String password, List<String> permissions) {

        ConfiguredUser {
            if (!StringUtils.hasText(name)) {
                throw new IllegalArgumentException("Every user of onepg.security.users needs a name.");
            }
            if (!StringUtils.hasText(password)) {
                throw new IllegalArgumentException("User '" + name + "' of onepg.security.users needs a password.");
            }
            permissions = permissions == null ? List.of() : List.copyOf(permissions);
            for (String permission : permissions) {
                if (Permission.named(permission).isEmpty()) {
                    throw new IllegalArgumentException("User '" + name + "' of onepg.security.users has the unknown"
                            + " permission '" + permission + "'; the permissions are " + Permission.allNames() + ".");
                }
            }
        }

        List<Permission> grants() {
            return permissions.stream()
                    .flatMap(name -> Permission.named(name).stream())
                    .toList();
        }
    }

    /**
     * How the claims of a bearer token make a caller.
     *
     * @param authoritiesClaim the claim that lists the caller's permissions: {@code scope} (space-separated, the
     *     default), {@code scp}, {@code roles}, or a nested one such as {@code realm_access.roles}
     * @param authorityPrefix what the claim's values carry in front of a permission name ({@code onepg.} makes
     *     {@code onepg.users:read} the permission {@code users:read}); values without it are ignored
     * @param principalClaim the claim that names the caller, recorded as the actor of its events
     */
    record Jwt(
            @DefaultValue("scope") String authoritiesClaim,
            @Nullable String authorityPrefix,
            @DefaultValue("sub") String principalClaim) {

        Jwt {
            authorityPrefix = authorityPrefix == null ? "" : authorityPrefix;
        }
    }
}
