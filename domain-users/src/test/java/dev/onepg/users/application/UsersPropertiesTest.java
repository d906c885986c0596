package dev.onepg.users.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The users' settings bind from {@code onepg.users.*}, with the documented defaults. */
class UsersPropertiesTest {

    private static UsersProperties bound(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("onepg.users", UsersProperties.class);
    }

    @Test
    void remembersFiftyThousandUsersAndWaitsFiveSecondsByDefault() {
        UsersProperties defaults = bound(Map.of());

        assertThat(defaults.rememberedStreams()).isEqualTo(50_000);
        assertThat(defaults.readYourWritesTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void bindsTheRememberedStreamsAndTheReadYourWritesTimeout() {
        UsersProperties set = bound(Map.of(
                "onepg.users.remembered-streams", "0",
                "onepg.users.read-your-writes-timeout", "300ms"));

        assertThat(set.rememberedStreams()).isZero();
        assertThat(set.readYourWritesTimeout()).isEqualTo(Duration.ofMillis(300));
    }
}
