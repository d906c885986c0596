package dev.onepg.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

class JwtPermissionsTest {

    @Test
    void readsASpaceSeparatedScopeAndIgnoresValuesThatAreNoPermission() {
        Jwt jwt = jwt(Map.of("scope", "openid  users:read profile admin users:read"));

        assertThat(permissions(new JwtPermissions("scope", ""), jwt)).containsExactly("users:read", "admin");
    }

    @Test
    void readsAListClaim() {
        Jwt jwt = jwt(Map.of("scp", List.of("users:write", "email")));

        assertThat(permissions(new JwtPermissions("scp", ""), jwt)).containsExactly("users:write");
    }

    @Test
    void keepsOnlyValuesWithThePrefixAndStripsIt() {
        Jwt jwt = jwt(Map.of("roles", List.of("onepg-admin", "admin", "onepg-users:read", "other-users:write")));

        assertThat(permissions(new JwtPermissions("roles", "onepg-"), jwt)).containsExactly("admin", "users:read");
    }

    @Test
    void followsADottedPathIntoNestedClaims() {
        Jwt jwt = jwt(Map.of("realm_access", Map.of("roles", List.of("users:read", "offline_access"))));

        assertThat(permissions(new JwtPermissions("realm_access.roles", ""), jwt))
                .containsExactly("users:read");
    }

    @Test
    void prefersAClaimWhoseNameHasDots() {
        Jwt jwt = jwt(Map.of("https://onepg.dev/roles", List.of("users:write")));

        assertThat(permissions(new JwtPermissions("https://onepg.dev/roles", ""), jwt))
                .containsExactly("users:write");
    }

    @Test
    void grantsNothingWithoutTheClaim() {
        assertThat(permissions(new JwtPermissions("roles", ""), jwt(Map.of("scope", "admin"))))
                .isEmpty();
    }

    private static List<String> permissions(JwtPermissions converter, Jwt jwt) {
        return converter.convert(jwt).stream()
                .map(GrantedAuthority::getAuthority)
                .toList();
    }

    private static Jwt jwt(Map<String, Object> claims) {
        Jwt.Builder builder = Jwt.withTokenValue("token")
                .header("alg", "RS256")
                .subject("someone")
                .issuedAt(Instant.now());
        claims.forEach(builder::claim);
        return builder.build();
    }
}
