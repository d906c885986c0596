package dev.onepg.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

class RecentlyVerifiedCredentialsTest {

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final AtomicInteger slowChecks = new AtomicInteger();
    private final MutableClock clock = new MutableClock();
    private final RecentlyVerifiedCredentials credentials =
            new RecentlyVerifiedCredentials(counted(bcryptUser("ops", "s3cret")), Duration.ofMinutes(5), clock);

    @Test
    void checksTheHashOnceForRepeatedCorrectCredentials() {
        Authentication first = credentials.authenticate(basic("ops", "s3cret"));
        Authentication second = credentials.authenticate(basic("ops", "s3cret"));

        assertThat(second.isAuthenticated()).isTrue();
        assertThat(second.getName()).isEqualTo("ops");
        assertThat(second.getAuthorities()).isEqualTo(first.getAuthorities());
        assertThat(slowChecks).hasValue(1);
    }

    @Test
    void checksEveryWrongPasswordTheSlowWayAndRefusesIt() {
        credentials.authenticate(basic("ops", "s3cret"));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> credentials.authenticate(basic("ops", "guess")))
                    .isInstanceOf(BadCredentialsException.class);
        }

        assertThat(slowChecks).hasValue(4);
        credentials.authenticate(basic("ops", "s3cret"));
        assertThat(slowChecks)
                .as("a wrong password does not replace what was verified")
                .hasValue(4);
    }

    @Test
    void checksTheHashAgainOnceTheVerificationExpired() {
        credentials.authenticate(basic("ops", "s3cret"));
        clock.now = clock.now.plus(Duration.ofMinutes(5));

        credentials.authenticate(basic("ops", "s3cret"));

        assertThat(slowChecks).hasValue(2);
    }

    @Test
    void neverRemembersARefusal() {
        assertThatThrownBy(() -> credentials.authenticate(basic("ops", "guess")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> credentials.authenticate(basic("ops", "guess")))
                .isInstanceOf(BadCredentialsException.class);

        assertThat(slowChecks).hasValue(2);
    }

    private static UsernamePasswordAuthenticationToken basic(String name, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(name, password);
    }

    private DaoAuthenticationProvider bcryptUser(String name, String password) {
        DaoAuthenticationProvider provider =
                new DaoAuthenticationProvider(new InMemoryUserDetailsManager(List.of(User.withUsername(name)
                        .password(encoder.encode(password))
                        .authorities("users:read")
                        .build())));
        provider.setPasswordEncoder(encoder);
        return provider;
    }

    private AuthenticationProvider counted(AuthenticationProvider provider) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                slowChecks.incrementAndGet();
                return provider.authenticate(authentication);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return provider.supports(authentication);
            }
        };
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-02T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
