package dev.onepg.platform.web;

import org.jspecify.annotations.Nullable;

/** Who is calling, as the security setup knows it; {@code null} when nobody is authenticated. */
@FunctionalInterface
public interface CurrentActor {

    @Nullable
    String name();
}
