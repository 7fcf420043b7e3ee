package com.su7.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BearerTokenHeaderTests {

    private final BearerTokenHeader resolver = new BearerTokenHeader();

    @Test
    void takesTheTokenOfABearerHeaderWhateverTheSchemesCase() {
        assertThat(resolver.resolve(request("Bearer eyJhbGci.eyJzdWIi.c2ln-_~+/=="))).isEqualTo("eyJhbGci.eyJzdWIi.c2ln-_~+/==");
        assertThat(resolver.resolve(request("bearer abc"))).isEqualTo("abc");
    }

    @Test
    void findsNoTokenWithoutAHeaderOrWithAnotherScheme() {
        assertThat(resolver.resolve(new MockHttpServletRequest())).isNull();
        assertThat(resolver.resolve(request("Basic b3BzOnNlY3JldA=="))).isNull();
    }

    @Test
    void refusesAMalformedTokenAsInvalid() {
        for (String header : new String[] {"Bearer", "Bearer ", "Bearer  abc", "Bearer abc def", "Bearer abc=def", "Bearer =", "Bearerabc", "Bearer ab\u00e9"}) {
            assertThatThrownBy(() -> resolver.resolve(request(header))).as(header)
                    .isInstanceOf(OAuth2AuthenticationException.class).hasMessageContaining("malformed");
        }
    }

    @Test
    void letsThroughHeaderValuesWithoutControlOrUnassignedCharacters() {
        assertThat(HeaderValues.allowed("Bearer eyJhbGci.x-y_z")).isTrue();
        assertThat(HeaderValues.allowed("caf\u00e9 \u4e2d\u6587 \ud83d\ude97")).isTrue();
        assertThat(HeaderValues.allowed("a\nb")).isFalse();
        assertThat(HeaderValues.allowed("a\u0000b")).isFalse();
        assertThat(HeaderValues.allowed("a\u0378b")).as("unassigned").isFalse();
    }

    private static MockHttpServletRequest request(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Authorization", authorization);
        return request;
    }
}
