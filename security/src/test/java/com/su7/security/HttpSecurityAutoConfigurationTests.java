package com.su7.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.DefaultHttpFirewall;
import org.springframework.security.web.firewall.HttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configuration gives every service its beans, and yields each one to an application's own. */
class HttpSecurityAutoConfigurationTests {

    private final WebApplicationContextRunner contexts = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpSecurityAutoConfiguration.class))
            .withUserConfiguration(WebSecurity.class);

    @Test
    void givesEveryBeanToAnApplicationWithoutItsOwn() {
        contexts.withPropertyValues("spring.security.oauth2.resourceserver.jwt.issuer-uri=http://issuer.test",
                        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://issuer.test/oauth2/jwks",
                        "spring.security.oauth2.resourceserver.jwt.audiences=su7-services")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasBean("apiSecurity")
                        .hasBean("accessTokenDecoder")
                        .hasBean("httpFirewall")
                        .hasBean("securityObservationSettings")
                        .hasBean("failedAuthenticationLimit"));
    }

    @Test
    void keepsTheApplicationsOwnBeans() {
        // No issuer configured: the service's own token decoder is used, so the module's is not even built.
        contexts.withUserConfiguration(OwnBeans.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys("ownChain");
                    assertThat(context.getBeansOfType(JwtDecoder.class)).containsOnlyKeys("ownDecoder");
                    assertThat(context.getBeansOfType(HttpFirewall.class)).containsOnlyKeys("ownFirewall");
                    assertThat(context.getBeansOfType(SecurityObservationSettings.class)).containsOnlyKeys("ownObservations");
                    assertThat(context).doesNotHaveBean("failedAuthenticationLimit").hasBean("ownFailedAuthenticationLimit");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class WebSecurity {
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {

        @Bean
        SecurityFilterChain ownChain(HttpSecurity http) throws Exception {
            return http.build();
        }

        @Bean
        JwtDecoder ownDecoder() {
            return token -> {
                throw new UnsupportedOperationException("not called");
            };
        }

        @Bean
        HttpFirewall ownFirewall() {
            return new DefaultHttpFirewall();
        }

        @Bean
        SecurityObservationSettings ownObservations() {
            return SecurityObservationSettings.withDefaults().build();
        }

        @Bean
        FilterRegistrationBean<FailedAuthenticationLimitFilter> ownFailedAuthenticationLimit() {
            return FailedAuthenticationLimitFilter.registration(new HttpSecurityProperties.FailedAuthentications(5, 1));
        }
    }
}
