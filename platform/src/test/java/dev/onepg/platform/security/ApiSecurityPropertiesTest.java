package dev.onepg.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.platform.security.ApiSecurityProperties.ConfiguredUser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiSecurityPropertiesTest {

    @Test
    void aUserGetsTheNamedPermissions() {
        ConfiguredUser user = new ConfiguredUser("ada", "{noop}secret", List.of("users:read", "admin"));

        assertThat(user.grants()).containsExactly(Permission.USERS_READ, Permission.ADMIN);
    }

    @Test
    void rejectsAnUnknownPermission() {
        assertThatThrownBy(() -> new ConfiguredUser("ada", "{noop}secret", List.of("users:delete")))
                .hasMessage("User 'ada' of onepg.security.users has the unknown permission 'users:delete'; the"
                        + " permissions are users:read, users:write, admin.");
    }

    @Test
    void rejectsAUserWithoutPassword() {
        assertThatThrownBy(() -> new ConfiguredUser("ada", " ", List.of("users:read")))
                .hasMessage("User 'ada' of onepg.security.users needs a password.");
    }

    @Test
    void rejectsAPasswordOfAnUnknownEncoding() {
        assertThatThrownBy(() -> new HttpBasicAuthentication(
                        List.of(new ConfiguredUser("ada", "{rot13}frperg", List.of("users:read")))))
                .hasMessageStartingWith("The password of user 'ada' in onepg.security.users has an unknown encoding");
    }

    @Test
    void theDevelopmentUsersAreRefusedOnAConfiguredDatabaseUnlessAllowed() {
        ApiSecurityProperties none = new ApiSecurityProperties(
                ApiSecurityProperties.Mode.BASIC, null, false, new ApiSecurityProperties.Jwt("scope", null, "sub"));
        ApiSecurityProperties allowed = new ApiSecurityProperties(
                ApiSecurityProperties.Mode.BASIC, null, true, new ApiSecurityProperties.Jwt("scope", null, "sub"));

        assertThat(BasicUsers.of(none, true)).isEqualTo(BasicUsers.DEVELOPMENT);
        assertThatThrownBy(() -> BasicUsers.of(none, false)).isInstanceOf(SecuritySetupIncomplete.class);
        assertThat(BasicUsers.of(allowed, false)).isEqualTo(BasicUsers.DEVELOPMENT);
    }
}
