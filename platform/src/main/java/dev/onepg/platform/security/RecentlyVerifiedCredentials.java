package dev.onepg.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * HTTP Basic sends the password with every request, and a configured user's password is a bcrypt hash, made slow
 * on purpose (tens of milliseconds of CPU per check). This provider checks a user's password the slow way once and
 * then, for a while, recognises the same user name and password by a keyed digest of them, so that a client
 * calling many times costs one bcrypt check per {@code validity}, not one per request.
 *
 * <p>What is kept, per user name, is an HMAC-SHA256 of the password under a random key that lives in this process
 * only, never the password. Only accepted credentials are kept, so every wrong password still costs the full check
 * (guessing stays as slow as bcrypt makes it), and a wrong password never replaces the kept digest. Digests are
 * compared in constant time. At most one entry per configured user exists, so the memory is bounded by the
 * configuration. The price: someone who can read this process's memory could test guesses at HMAC speed instead of
 * bcrypt speed, for passwords used within {@code validity}; such a reader sees the passwords of recent requests in
 * their buffers anyway.
 */
final class RecentlyVerifiedCredentials implements AuthenticationProvider {

    private record Verified(byte[] digest, Authentication authentication, Instant until) {}

    private final AuthenticationProvider slowCheck;
    private final Duration validity;
    private final Clock clock;
    /** Keyed once; each digest works on a clone, as a {@code Mac} is not thread-safe and keying it costs two hashes. */
    private final Mac keyed;

    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    RecentlyVerifiedCredentials(AuthenticationProvider slowCheck, Duration validity, Clock clock) {
        this.slowCheck = slowCheck;
        this.validity = validity;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            this.keyed = Mac.getInstance("HmacSHA256");
            keyed.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication.getCredentials() instanceof String password) || authentication.getName() == null) {
            return slowCheck.authenticate(authentication);
        }
        String name = authentication.getName();
        byte[] digest = digest(name, password);
        Verified known = verified.get(name);
        if (known != null && clock.instant().isBefore(known.until()) && MessageDigest.isEqual(known.digest(), digest)) {
            return known.authentication();
        }
        Authentication accepted = slowCheck.authenticate(authentication);
        if (accepted != null && accepted.isAuthenticated()) {
            verified.put(name, new Verified(digest, accepted, clock.instant().plus(validity)));
        }
        return accepted;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private byte[] digest(String name, String password) {
        try {
            Mac mac = (Mac) keyed.clone();
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
        }
    }
}
