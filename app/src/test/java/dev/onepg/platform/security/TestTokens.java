package dev.onepg.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Stands in for an OpenID Connect provider: signs tokens with a key made for this test run, and gives the service a
 * decoder that trusts that key only.
 */
final class TestTokens {

    static final String ISSUER = "https://issuer.example.org";

    private static final RSAKey issuerKey = newKey("issuer");
    private static final RSAKey strangerKey = newKey("stranger");

    private TestTokens() {}

    /** A token of the issuer, valid for five minutes, with these claims besides the standard ones. */
    static String token(String subject, Map<String, Object> claims) {
        Instant now = Instant.now();
        return sign(issuerKey, subject, claims, now, now.plus(Duration.ofMinutes(5)));
    }

    /** A token that expired ten minutes ago, well beyond the decoder's clock skew of a minute. */
    static String expiredToken(String subject, Map<String, Object> claims) {
        Instant issued = Instant.now().minus(Duration.ofMinutes(20));
        return sign(issuerKey, subject, claims, issued, issued.plus(Duration.ofMinutes(10)));
    }

    /** A token that looks right but is signed with a key the service does not trust. */
    static String tokenOfAStranger(String subject, Map<String, Object> claims) {
        Instant now = Instant.now();
        return sign(strangerKey, subject, claims, now, now.plus(Duration.ofMinutes(5)));
    }

    private static String sign(
            RSAKey key, String subject, Map<String, Object> claims, Instant issuedAt, Instant expiresAt) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt));
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), builder.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static RSAKey newKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoder a configured issuer would give the service, for the test's key. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Issuer {

        @Bean
        JwtDecoder jwtDecoder() throws JOSEException {
            return NimbusJwtDecoder.withPublicKey(issuerKey.toRSAPublicKey()).build();
        }
    }
}
