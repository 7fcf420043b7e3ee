package com.su7.orders.eta.rebuild;

import com.su7.security.ProblemException;
import com.su7.security.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** The ops command that rebuilds the ETA projection from the topics (scripts/rebuild-projection.sh calls it). */
@RestController
@RequestMapping(EtaProjectionRebuildController.PATH)
class EtaProjectionRebuildController {

    static final String PATH = "/api/orders/ops/eta-projection/rebuilds";
    static final ProblemType UNKNOWN_REBUILD = new ProblemType("unknown-rebuild", HttpStatus.NOT_FOUND, "Unknown rebuild");

    private final EtaProjectionRebuild rebuild;

    EtaProjectionRebuildController(EtaProjectionRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @Operation(summary = "Rebuild the ETA projection from the topics while the service keeps serving",
            description = "202 with the rebuild's status and its Location to follow; 409 while another rebuild runs. "
                    + "It switches to the rebuilt tables only if they lack nothing the live ones applied.")
    @PostMapping
    ResponseEntity<RebuildRun.RebuildStatus> start() {
        RebuildRun.RebuildStatus started = rebuild.start();
        return ResponseEntity.accepted().location(URI.create(PATH + "/" + started.id())).body(started);
    }

    @Operation(summary = "A rebuild: phase (REPLAYING, SWITCHING, COMPLETED, REFUSED, FAILED), progress, skipped records, "
            + "failures waited out, why it was refused or failed, and how the rebuilt projection compared")
    @GetMapping("/{id}")
    RebuildRun.RebuildStatus find(@PathVariable UUID id) {
        return rebuild.find(id).orElseThrow(() -> new ProblemException(UNKNOWN_REBUILD, "no rebuild %s since this instance started".formatted(id)));
    }

    @Operation(summary = "The rebuilds since this instance started, newest first")
    @GetMapping
    List<RebuildRun.RebuildStatus> recent() {
        return rebuild.recent();
    }
}
