package dev.onepg.users.application;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The users module's settings.
 *
 * @param readYourWritesTimeout how long a read with {@code minPosition} waits for the views before it answers
 *     that they are behind
 */
@ConfigurationProperties("onepg.users")
record UsersProperties(@DefaultValue("5s") Duration readYourWritesTimeout) {}
