package dev.onepg.platform.security;

import dev.onepg.platform.web.CurrentActor;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The actor of an event is the authenticated caller (the user name, or the token's principal claim), never
 * anything the request itself says.
 */
@Component
class AuthenticatedActor implements CurrentActor {

    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

    @Override
    public @Nullable String name() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return trust.isAuthenticated(caller) ? caller.getName() : null;
    }
}
