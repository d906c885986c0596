package dev.onepg.platform.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The permissions a token grants: the values of one claim (a space-separated string or a list) that name a
 * {@link Permission} after the configured prefix. Other values, such as {@code openid}, grant nothing.
 */
final class JwtPermissions implements Converter<Jwt, Collection<GrantedAuthority>> {

    private final String claim;
    private final String prefix;

    JwtPermissions(String claim, String prefix) {
        this.claim = claim;
        this.prefix = prefix;
    }

    @Override
    public Collection<GrantedAuthority> convert(Jwt jwt) {
        return values(claim(jwt.getClaims()))
                .filter(value -> value.startsWith(prefix))
                .map(value -> value.substring(prefix.length()))
                .flatMap(name -> Permission.named(name).stream())
                .distinct()
                .<GrantedAuthority>map(permission -> new SimpleGrantedAuthority(permission.authority()))
                .toList();
    }

    /** The claim by its name, or else by its dotted path into nested objects ({@code realm_access.roles}). */
    private @Nullable Object claim(Map<String, Object> claims) {
        if (claims.containsKey(claim)) {
            return claims.get(claim);
        }
        Object current = claims;
        for (String segment : claim.split("\\.")) {
            if (!(current instanceof Map<?, ?> object)) {
                return null;
            }
            current = object.get(segment);
        }
        return current;
    }

    private static Stream<String> values(@Nullable Object claim) {
        return switch (claim) {
            case String text -> Arrays.stream(text.trim().split("\\s+"));
            case Collection<?> list -> list.stream().map(String::valueOf);
            case null, default -> List.<String>of().stream();
        };
    }
}
