package com.su7.console;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who is logged in, and the CSRF token for the page's one form (logging out): the pages' calls send the token from
 * its cookie as a header, a form sends this (masked) one as a parameter. Asking also sets the cookie.
 */
@RestController
class UserController {

    record User(String name, String csrfParameter, String csrfToken) {
    }

    @GetMapping("/console/api/user")
    User user(@AuthenticationPrincipal OidcUser user, CsrfToken csrf) {
        return new User(user.getName(), csrf.getParameterName(), csrf.getToken());
    }
}
