package com.su7.messaging.outbox;

import com.su7.security.FieldProblem;
import com.su7.security.InvalidRequestException;
import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.List;

/**
 * Ops' view of this service's outbox (role OPS, like every path outside the app's): how many rows wait and how old
 * the oldest is, the rows set aside with their reasons, and putting one back in line or discarding it.
 */
@RestController
@RequestMapping(OutboxController.PATH)
public class OutboxController {

    public static final String PATH = "/api/outbox";
    static final ProblemType UNKNOWN_ROW = new ProblemType("unknown-outbox-row", HttpStatus.NOT_FOUND, "Unknown outbox row");
    private static final int MAX_LIMIT = 1000;

    private final OutboxBacklog backlog;
    private final SetAsideRows setAside;

    OutboxController(OutboxBacklog backlog, SetAsideRows setAside) {
        this.backlog = backlog;
        this.setAside = setAside;
    }

    /** Measured now, so the figures match the rows listed. */
    @GetMapping
    public View outbox(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException(List.of(new FieldProblem("limit", "must be 1 to " + MAX_LIMIT)));
        }
        OutboxBacklog.Measure measure = backlog.measure();
        return new View(measure.waiting(), measure.oldestAge().toSeconds(), measure.setAside(), setAside.list(limit));
    }

    @PostMapping("/set-aside/{id}/retry")
    public void retry(@PathVariable long id) {
        if (!setAside.retry(id)) {
            throw unknown(id);
        }
    }

    @DeleteMapping("/set-aside/{id}")
    public void discard(@PathVariable long id, Principal principal) {
        if (!setAside.discard(id, principal == null ? "anonymous" : principal.getName())) {
            throw unknown(id);
        }
    }

    private static ProblemException unknown(long id) {
        return new ProblemException(UNKNOWN_ROW, "no outbox row %d is set aside in this service".formatted(id));
    }

    public record View(long waiting, long oldestAgeSeconds, long setAside, List<SetAsideRows.SetAsideRow> setAsideRows) {
    }
}
