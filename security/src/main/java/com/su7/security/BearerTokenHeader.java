package com.su7.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * The access token of {@code Authorization: Bearer <token>} (RFC 6750 section 2.1, the only place this API takes a
 * token from), checked character by character. Spring Security's resolver matches the whole header against a
 * regular expression, which for a JWT of ~800 characters cost as much as verifying it does once it is remembered.
 */
final class BearerTokenHeader implements BearerTokenResolver {

    private static final String SCHEME = "Bearer";

    @Override
    public String resolve(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null; // no token: anonymous, refused with 401 where a role is needed
        }
        if (header.length() <= SCHEME.length() + 1 || header.charAt(SCHEME.length()) != ' ' || !isToken68(header, SCHEME.length() + 1)) {
            throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
        }
        return header.substring(SCHEME.length() + 1);
    }

    /** RFC 6750's b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
    static boolean isToken68(String value, int from) {
        int i = from;
        while (i < value.length() && isToken68Char(value.charAt(i))) {
            i++;
        }
        if (i == from) {
            return false;
        }
        while (i < value.length() && value.charAt(i) == '=') {
            i++;
        }
        return i == value.length();
    }

    private static boolean isToken68Char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
