package dev.onepg.users.application;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The users module's settings.
 *
 * @param readYourWritesTimeout how long a read with {@code minPosition} waits for the views before it answers
 *     that they are behind
 * @param rememberedStreams how many recently written users' states the command handler remembers (least recently
 *     used forgotten first), so that a write to one of them is one round trip; 0 reads every user's stream each time
 */
@ConfigurationProperties("onepg.users")
record UsersProperties(
        @DefaultValue("5s") Duration readYourWritesTimeout,
        @DefaultValue("50000") int rememberedStreams) {}
