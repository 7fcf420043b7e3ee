package com.su7.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The one problem-details dialect, on Spring MVC with a small API that fails in every way the services' APIs do. */
class ProblemDetailsAdviceTests {

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new ThingsController()).setControllerAdvice(new ProblemDetailsAdvice()).build();

    @Test
    void writesAServicesOwnProblemWithItsTypeStatusTitleDetailPropertiesAndHeaders() throws Exception {
        mvc.perform(get("/things/{id}", UUID.fromString("00000000-0000-0000-0000-000000000001")))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:su7:problem:unknown-thing"))
                .andExpect(jsonPath("$.title").value("Unknown thing"))
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.detail").value("no thing 00000000-0000-0000-0000-000000000001"))
                .andExpect(jsonPath("$.thingId").value("00000000-0000-0000-0000-000000000001"))
                .andExpect(jsonPath("$.instance").value("/things/00000000-0000-0000-0000-000000000001"));

        mvc.perform(post("/things/busy"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.type").value("urn:su7:problem:things-busy"));
    }

    @Test
    void namesEveryInvalidFieldOfABodyInOrder() throws Exception {
        invalid(mvc.perform(post("/things").contentType(MediaType.APPLICATION_JSON).content("""
                {"name": " ", "count": 0}""")))
                .andExpect(jsonPath("$.errors.length()").value(3))
                .andExpect(jsonPath("$.errors[0].field").value("count"))
                .andExpect(jsonPath("$.errors[0].message").value("must be greater than or equal to 1"))
                .andExpect(jsonPath("$.errors[1].field").value("madeOn"))
                .andExpect(jsonPath("$.errors[2].field").value("name"))
                .andExpect(jsonPath("$.detail").value("count: must be greater than or equal to 1; madeOn: must not be null; name: must not be blank"));
    }

    @Test
    void namesTheFieldOfAValueOfTheWrongTypeAndTheBodyWhenItIsNotJson() throws Exception {
        invalid(mvc.perform(post("/things").contentType(MediaType.APPLICATION_JSON).content("""
                {"name": "bolt", "count": 1, "madeOn": "yesterday"}""")))
                .andExpect(jsonPath("$.errors[0].field").value("madeOn"))
                .andExpect(jsonPath("$.errors[0].message").value("has a value of the wrong type or format"));
        invalid(mvc.perform(post("/things").contentType(MediaType.APPLICATION_JSON).content("{not json")))
                .andExpect(jsonPath("$.errors[0].field").value("body"));
    }

    @Test
    void namesAParameterOrHeaderThatIsInvalidMistypedOrMissing() throws Exception {
        invalid(mvc.perform(get("/things").param("limit", "500").header("Tenant", "t")))
                .andExpect(jsonPath("$.errors[0].field").value("limit"))
                .andExpect(jsonPath("$.errors[0].message").value("must be less than or equal to 100"));
        invalid(mvc.perform(get("/things").param("limit", "many").header("Tenant", "t")))
                .andExpect(jsonPath("$.errors[0].field").value("limit"))
                .andExpect(jsonPath("$.errors[0].message").value("has a value of the wrong type or format"));
        invalid(mvc.perform(get("/things/{id}", "not-a-uuid")))
                .andExpect(jsonPath("$.errors[0].field").value("id"));
        invalid(mvc.perform(get("/things")))
                .andExpect(jsonPath("$.errors[0].field").value("Tenant"))
                .andExpect(jsonPath("$.errors[0].message").value("is required"));
    }

    @Test
    void keepsTheOrderOfAServicesOwnValidation() throws Exception {
        invalid(mvc.perform(post("/things/plan")))
                .andExpect(jsonPath("$.errors[0].field").value("periods[1].from"))
                .andExpect(jsonPath("$.errors[1].field").value("periods[0].to"));
    }

    @Test
    void leavesAnErrorItsStatusSaysAllAboutToSpring() throws Exception {
        mvc.perform(post("/things/{id}", UUID.randomUUID()))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(405))
                .andExpect(jsonPath("$.type").doesNotExist()); // RFC 9457: no type is about:blank
    }

    @Test
    void answersAnUnexpectedFailureWith500WithoutTellingItsCause() throws Exception {
        mvc.perform(get("/things/broken"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("The service failed to answer; the failure is in its log."));
        mvc.perform(get("/things/teapot")).andExpect(status().isIAmATeapot());
    }

    @Test
    void isTheAdviceOfEveryServletApplicationUnlessItHasItsOwn() {
        WebApplicationContextRunner runner = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ProblemDetailsAutoConfiguration.class));

        runner.run(context -> assertThat(context).hasSingleBean(ProblemDetailsAdvice.class));
        runner.withBean("ownAdvice", ResponseEntityExceptionHandler.class, () -> new ResponseEntityExceptionHandler() {
        }).run(context -> assertThat(context).doesNotHaveBean(ProblemDetailsAdvice.class));
    }

    @Test
    void aProblemTypeIsNamedInTheOneScheme() {
        assertThat(ProblemType.INVALID_REQUEST.uri()).hasToString("urn:su7:problem:invalid-request");
        assertThat(List.of("Unknown", "unknown thing", "unknown--thing", "")).allSatisfy(name ->
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new ProblemType(name, HttpStatus.NOT_FOUND, "Unknown")))
                        .isInstanceOf(IllegalArgumentException.class));
    }

    private static ResultActions invalid(ResultActions result) throws Exception {
        return result.andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:su7:problem:invalid-request"))
                .andExpect(jsonPath("$.title").value("Invalid request"));
    }

    record Thing(@NotBlank String name, @Min(1) int count, @NotNull LocalDate madeOn) {
    }

    static final ProblemType UNKNOWN_THING = new ProblemType("unknown-thing", HttpStatus.NOT_FOUND, "Unknown thing");
    static final ProblemType THINGS_BUSY = new ProblemType("things-busy", HttpStatus.SERVICE_UNAVAILABLE, "Too many things");

    @ResponseStatus(HttpStatus.I_AM_A_TEAPOT)
    static class Teapot extends RuntimeException {
    }

    @RestController
    static class ThingsController {

        @GetMapping("/things/{id}")
        Thing find(@PathVariable UUID id) {
            throw new ProblemException(UNKNOWN_THING, "no thing " + id).with("thingId", id.toString());
        }

        @GetMapping("/things")
        List<Thing> list(@RequestParam(defaultValue = "10") @Min(1) @Max(100) int limit, @RequestHeader("Tenant") String tenant) {
            return List.of();
        }

        @PostMapping("/things")
        Thing make(@Valid @RequestBody Thing thing) {
            return thing;
        }

        @PostMapping("/things/busy")
        Thing busy() {
            ProblemException busy = new ProblemException(THINGS_BUSY, "too many things at once; send it again in a moment");
            busy.getHeaders().set("Retry-After", "1");
            throw busy;
        }

        @GetMapping("/things/broken")
        Thing broken() {
            throw new IllegalStateException("password=secret in a bug's message");
        }

        @GetMapping("/things/teapot")
        Thing teapot() {
            throw new Teapot();
        }

        @PostMapping("/things/plan")
        Thing plan() {
            throw new InvalidRequestException(List.of(new FieldProblem("periods[1].from", "overlaps periods[0]"),
                    new FieldProblem("periods[0].to", "must be after its from")));
        }
    }
}
