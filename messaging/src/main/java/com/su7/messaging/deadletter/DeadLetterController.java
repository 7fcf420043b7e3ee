package com.su7.messaging.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.su7.messaging.tracing.TraceHeaders;
import com.su7.security.FieldProblem;
import com.su7.security.InvalidRequestException;
import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Ops' view of this service's dead letters (role OPS, like every path outside the app's): list and filter them
 * with their payloads decoded, redrive them by the same filters (a dry run first), and see every redrive.
 */
@RestController
@RequestMapping(DeadLetterController.PATH)
public class DeadLetterController {

    public static final String PATH = "/api/dead-letters";
    static final ProblemType UNKNOWN_DEAD_LETTER = new ProblemType("unknown-dead-letter", HttpStatus.NOT_FOUND, "Unknown dead letter");
    private static final int MAX_LIMIT = 1000;

    private final DeadLetterStore store;
    private final Redrives redrives;
    private final Redrivable.Consumers consumers;

    DeadLetterController(DeadLetterStore store, Redrives redrives, Redrivable.Consumers consumers) {
        this.store = store;
        this.redrives = redrives;
        this.consumers = consumers;
    }

    /** The newest first. */
    @GetMapping
    public Listing list(@RequestParam(required = false) String topic, @RequestParam(required = false) String consumer,
                        @RequestParam(required = false) String preorderId, @RequestParam(required = false) String exception,
                        @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                        @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                        @RequestParam(required = false) DeadLetterState state,
                        @RequestParam(defaultValue = "100") int limit) {
        checkLimit(limit);
        DeadLetterFilter filter = validated(new DeadLetterFilter(topic, consumer, preorderId, exception, from, to, state));
        List<View> letters = store.find(filter, limit).stream().map(this::view).toList();
        return new Listing(filter.toString(), letters.size(), letters);
    }

    @GetMapping("/{id}")
    public View one(@PathVariable long id) {
        return store.find(id).map(this::view)
                .orElseThrow(() -> new ProblemException(UNKNOWN_DEAD_LETTER, "this service keeps no dead letter " + id));
    }

    /**
     * Redrives the unresolved dead letters the filter matches, each with everything of its key held behind or
     * before it, in order. Parked ones are reported, not redriven.
     */
    @PostMapping("/redrives")
    public RedriveReport redrive(@RequestBody RedriveRequest request, Principal principal) {
        DeadLetterFilter filter = validated(new DeadLetterFilter(request.topic(), request.consumer(), request.preorderId(),
                request.exception(), request.from(), request.to(), null));
        return redrives.redrive(filter, request.dryRun(), principal == null ? "anonymous" : principal.getName());
    }

    @GetMapping("/redrives")
    public List<RedriveReport> redrives(@RequestParam(defaultValue = "100") int limit) {
        checkLimit(limit);
        return redrives.history(limit);
    }

    private static DeadLetterFilter validated(DeadLetterFilter filter) {
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            throw new InvalidRequestException(List.of(new FieldProblem("to", "must be after from")));
        }
        return filter;
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException(List.of(new FieldProblem("limit", "must be 1 to " + MAX_LIMIT)));
        }
    }

    private View view(DeadLetter letter) {
        String payload = consumers.consumer(letter.consumer()).flatMap(consumer -> consumer.describe(letter))
                .orElse(letter.payload() == null ? null : Base64.getEncoder().encodeToString(letter.payload()));
        return new View(letter.id(), letter.state(), letter.consumer(), letter.consumerGroup(), letter.topic(),
                letter.partition(), letter.offset(), letter.key(), letter.recordTimestamp(),
                letter.traceparent() == null ? null : TraceHeaders.traceIdOf(letter.traceparent()), letter.correlationId(),
                letter.exceptionClass(), letter.reason(), letter.attempts(), letter.firstFailedAt(), letter.lastFailedAt(),
                letter.redrives(), letter.published(), letter.resolution(), letter.resolvedAt(), letter.createdAt(),
                letter.payload() == null ? 0 : letter.payload().length, payload);
    }

    /**
     * @param dryRun true: say what would be redriven, apply nothing
     */
    public record RedriveRequest(String topic, String consumer, String preorderId, String exception, Instant from,
                                 Instant to, boolean dryRun) {
    }

    public record Listing(String filter, int count, List<View> deadLetters) {
    }

    /**
     * @param traceId the trace the record belonged to (its spans in Zipkin, its services' log lines)
     * @param payload the record decoded through the registry where it can be, else as text, else Base64
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(long id, DeadLetterState state, String consumer, String consumerGroup, String topic, int partition,
                       long offset, String preorderId, Instant recordTimestamp, String traceId, String correlationId,
                       String exceptionClass, String reason, int attempts, Instant firstFailedAt, Instant lastFailedAt,
                       int redrives, boolean copiedToDeadLetterTopic, String resolution, Instant resolvedAt,
                       Instant createdAt, int payloadBytes, String payload) {
    }
}
