package dev.onepg.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.util.StringUtils;

/** Bearer JWTs of an OpenID Connect provider, as an OAuth2 resource server. */
final class BearerJwtAuthentication implements CallerAuthentication {

    private final JwtDecoder decoder;
    private final JwtPermissions permissions;
    private final String principalClaim;
    private final BearerTokenAuthenticationEntryPoint bearerChallenge = new BearerTokenAuthenticationEntryPoint();

    BearerJwtAuthentication(JwtDecoder decoder, ApiSecurityProperties.Jwt claims) {
        this.decoder = decoder;
        this.permissions = new JwtPermissions(claims.authoritiesClaim(), claims.authorityPrefix());
        this.principalClaim = claims.principalClaim();
    }

    @Override
    public void configure(HttpSecurity http, AuthenticationEntryPoint refusal) {
        http.oauth2ResourceServer(server -> server.authenticationEntryPoint(refusal)
                .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(this::caller)));
    }

    /** Every event records its actor, so a token that does not name its caller is refused. */
    private AbstractAuthenticationToken caller(Jwt jwt) {
        String name = jwt.getClaimAsString(principalClaim);
        if (!StringUtils.hasText(name)) {
            throw new OAuth2AuthenticationException(new BearerTokenError(
                    OAuth2ErrorCodes.INVALID_TOKEN,
                    HttpStatus.UNAUTHORIZED,
                    "the token has no " + principalClaim + " claim to name its caller",
                    null));
        }
        return new JwtAuthenticationToken(jwt, permissions.convert(jwt), name);
    }

    @Override
    public void challenge(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason) {
        bearerChallenge.commence(request, response, reason);
    }

    @Override
    public String credentials() {
        return "a bearer token";
    }

    @Override
    public String refused(AuthenticationException reason) {
        String why = reason instanceof OAuth2AuthenticationException oauth
                        && StringUtils.hasText(oauth.getError().getDescription())
                ? oauth.getError().getDescription()
                : reason.getMessage();
        return "The bearer token was refused: " + why;
    }
}
