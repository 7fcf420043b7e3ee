package com.su7.console;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who is logged in; asking also sets the CSRF cookie the pages send back with every change. */
@RestController
class UserController {

    record User(String name) {
    }

    @GetMapping("/console/api/user")
    User user(@AuthenticationPrincipal OidcUser user, CsrfToken csrf) {
        // Reading the token makes the repository write its cookie (tokens are otherwise loaded only when needed).
        csrf.getToken();
        return new User(user.getName());
    }
}
