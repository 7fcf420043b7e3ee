package com.su7.orders.preorder;

import com.su7.contract.PreorderId;
import com.su7.security.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

@RestController
@RequestMapping("/api/preorders")
class PreorderController {

    static final int MAX_PAGE_SIZE = 100;

    static final int MAX_CUSTOMER_ID_LENGTH = 64;

    /** Keys per lookup: 100 keys of up to 200 characters make a request line of ~20 KB; the server takes 32 KB. */
    static final int MAX_KEYS = 100;

    private final PreorderService service;
    private final PlacementQueue placements;
    private final PreorderQueries queries;
    private final PreorderCancellations cancellations;

    PreorderController(PreorderService service, PlacementQueue placements, PreorderQueries queries, PreorderCancellations cancellations) {
        this.service = service;
        this.placements = placements;
        this.queries = queries;
        this.cancellations = cancellations;
    }

    @Operation(summary = "Place a preorder",
            description = "201 with the new preorder and its first ETA. The same Idempotency-Key with the same request returns the "
                    + "preorder it placed (200, header Idempotent-Replayed: true, no second event); with a different request, 409.")
    @PostMapping
    ResponseEntity<PreorderView> place(
            @Parameter(description = "A unique key per preorder; send the same key when retrying the same request")
            @RequestHeader(name = PreorderValidation.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestBody(required = false) PreorderRequest request) {
        PlacementQueue.Placed placed = placements.place(
                service.candidate(request, idempotencyKey, PreorderValidation.IDEMPOTENCY_KEY, EntryPoint.REST, null, null));
        PreorderService.Placement placement = placed.placement();
        ResponseEntity.BodyBuilder response = ResponseEntity.status(placement.placedNow() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/api/preorders/" + placement.id()));
        if (!placement.placedNow()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(placed.view());
    }

    @Operation(summary = "A preorder: its status, VIN once built, current ETA (a date, or earliest and latest) and ETA history")
    @GetMapping("/{preorderId}")
    PreorderView find(@PathVariable String preorderId) {
        // Not a UUID: no preorder has that id.
        return queries.find(PreorderId.tryParse(preorderId).orElseThrow(() -> new PreorderNotFoundException(preorderId)));
    }

    @Operation(summary = "Cancel a preorder within its refund window",
            description = "Body {\"reason\": \"CHANGED_MIND\" | \"FINANCING\" | \"OTHER\"}. 200 with the cancellation; the same "
                    + "call again answers the same (the first reason stays). 404 for an unknown preorder; 409 once its refund window "
                    + "(orders.cancellation.refund-window-days factory days from placement) has closed or its car has been handed over. "
                    + "The customers behind it move up: their new ETAs come as EtaChanged (cause CANCELLATION_AHEAD, or RESCHEDULED).")
    @PostMapping("/{preorderId}/cancellation")
    CancellationView cancel(@PathVariable String preorderId, @RequestBody(required = false) CancellationRequest request) {
        return cancellations.cancel(preorderId, request);
    }

    @Operation(summary = "A customer's preorders, oldest first, a page at a time")
    @GetMapping
    PreorderQueries.PreorderPage ofCustomer(@RequestParam(required = false) String customerId,
                                            @RequestParam(defaultValue = "0") int page,
                                            @RequestParam(defaultValue = "20") int size) {
        List<FieldProblem> problems = new ArrayList<>();
        if (customerId == null || customerId.isBlank()) {
            problems.add(new FieldProblem("customerId", "is required"));
        } else if (customerId.length() > MAX_CUSTOMER_ID_LENGTH) {
            problems.add(new FieldProblem("customerId", "must be at most %d characters".formatted(MAX_CUSTOMER_ID_LENGTH)));
        }
        if (page < 0) {
            problems.add(new FieldProblem("page", "must be 0 or more"));
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            problems.add(new FieldProblem("size", "must be between 1 and %d".formatted(MAX_PAGE_SIZE)));
        }
        if (!problems.isEmpty()) {
            throw new InvalidPreorderException(problems);
        }
        return queries.ofCustomer(customerId, page, size);
    }

    @Operation(summary = "Preorders by the Idempotency-Key (REST) or requestId (app event) they were placed with",
            description = "Up to " + MAX_KEYS + " keys a call, comma-separated or repeated (idempotencyKeys=a,b or "
                    + "idempotencyKeys=a&idempotencyKeys=b): each preorder found with its ETA and ETA history, as "
                    + "GET /api/preorders/{preorderId} shows it, in the order asked; the keys no preorder has in notFound. "
                    + "For the app's backend, which knows its request ids but not the ids of the preorders they placed.")
    @GetMapping("/lookup")
    PreorderQueries.PreordersByKey withKeys(@RequestParam(required = false) List<String> idempotencyKeys) {
        List<FieldProblem> problems = new ArrayList<>();
        List<String> keys = idempotencyKeys == null ? List.of() : List.copyOf(new LinkedHashSet<>(idempotencyKeys));
        if (keys.isEmpty()) {
            problems.add(new FieldProblem("idempotencyKeys", "is required: 1 to %d keys".formatted(MAX_KEYS)));
        } else if (keys.size() > MAX_KEYS) {
            problems.add(new FieldProblem("idempotencyKeys", "must be at most %d keys, not %d".formatted(MAX_KEYS, keys.size())));
        }
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).isBlank()) {
                problems.add(new FieldProblem("idempotencyKeys[%d]".formatted(i), "must not be blank"));
            } else if (keys.get(i).length() > PreorderValidation.MAX_KEY_LENGTH) {
                problems.add(new FieldProblem("idempotencyKeys[%d]".formatted(i),
                        "must be at most %d characters".formatted(PreorderValidation.MAX_KEY_LENGTH)));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPreorderException(problems);
        }
        return queries.withKeys(keys);
    }

    @Operation(summary = "How many preorders are in each status (for ops)")
    @GetMapping("/stats")
    PreorderQueries.PreorderStats stats() {
        return queries.stats();
    }
}
