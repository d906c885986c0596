/**
 * Who may call the API: HTTP Basic with configured users (or development users on the embedded database) or
 * bearer JWTs of an OpenID Connect provider, a permission per route, refusals as problem details, and the
 * authenticated caller as the actor of every event.
 */
@NullMarked
package dev.onepg.platform.security;

import org.jspecify.annotations.NullMarked;
