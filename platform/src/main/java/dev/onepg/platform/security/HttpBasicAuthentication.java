package dev.onepg.platform.security;

import dev.onepg.platform.security.ApiSecurityProperties.ConfiguredUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;

/** HTTP Basic against a fixed list of users, each with its permissions. */
final class HttpBasicAuthentication implements CallerAuthentication {

    static final String REALM = "onepg";

    /** How long accepted credentials are recognised without checking the password hash again. */
    static final Duration VERIFIED_FOR = Duration.ofMinutes(5);

    private final AuthenticationProvider users;

    HttpBasicAuthentication(List<ConfiguredUser> configured) {
        PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        List<UserDetails> details =
                configured.stream().map(user -> details(user, passwords)).toList();
        DaoAuthenticationProvider checked = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(details));
        // Set explicitly so that no other PasswordEncoder bean of the application is ever used for these.
        checked.setPasswordEncoder(passwords);
        prepareForUnknownUsers(checked);
        users = new RecentlyVerifiedCredentials(checked, VERIFIED_FOR, Clock.systemUTC());
    }

    /**
     * The provider answers an unknown user only after checking the password against a bcrypt hash it makes on first
     * use, so that the answer takes as long as for a known one. Made lazily, that hash was made by every request
     * thread at once on the first requests of a new instance (profiled: seconds of bcrypt under the first load);
     * one refused attempt here makes it once, at start-up.
     */
    private static void prepareForUnknownUsers(DaoAuthenticationProvider users) {
        try {
            String noSuchUser = "not-configured-" + UUID.randomUUID();
            users.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(noSuchUser, "-"));
        } catch (AuthenticationException expected) {
            // refused, as every unknown user is
        }
    }

    @Override
    public void configure(HttpSecurity http, AuthenticationEntryPoint refusal) {
        http.authenticationProvider(users)
                .httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(refusal));
    }

    @Override
    public void challenge(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason) {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
    }

    @Override
    public String credentials() {
        return "HTTP Basic credentials";
    }

    @Override
    public String refused(AuthenticationException reason) {
        return "The user name or password is wrong.";
    }

    private static UserDetails details(ConfiguredUser user, PasswordEncoder passwords) {
        // Like spring.security.user.password: a password without an {id} is plain text.
        String password = user.password().startsWith("{") ? user.password() : "{noop}" + user.password();
        try {
            // Fails on an {id} no encoder knows; an empty probe would be refused before the id is looked at.
            passwords.matches("probe", password);
        } catch (IllegalArgumentException unknownEncoding) {
            throw new IllegalStateException(
                    "The password of user '" + user.name() + "' in onepg.security.users has an unknown encoding: "
                            + unknownEncoding.getMessage() + ". Give it as {bcrypt}<hash> or {noop}<text>.",
                    unknownEncoding);
        }
        return User.withUsername(user.name())
                .password(password)
                .authorities(user.grants().stream().map(Permission::authority).toArray(String[]::new))
                .build();
    }
}
