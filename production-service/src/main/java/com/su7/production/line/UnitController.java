package com.su7.production.line;

import com.su7.contract.PreorderId;
import com.su7.events.Variant;
import com.su7.production.queue.PreorderState;
import com.su7.security.FieldProblem;
import com.su7.security.InvalidRequestException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The factory feed: a real plant reports each unit it built (201 the first time, 200 for a repeat). */
@RestController
class UnitController {

    private final UnitReports reports;

    UnitController(UnitReports reports) {
        this.reports = reports;
    }

    @PostMapping("/api/production/units")
    ResponseEntity<UnitResponse> report(@Valid @RequestBody UnitReportRequest request) {
        Optional<Vin> vin = Optional.ofNullable(request.vin()).map(text -> {
            String problem = Vin.problemWith(text);
            if (problem != null) {
                throw new InvalidRequestException(List.of(new FieldProblem("vin", problem)));
            }
            return new Vin(text);
        });
        UnitReports.Report report = reports.report(new PreorderId(request.preorderId()), vin,
                Optional.ofNullable(request.builtAt()), Optional.ofNullable(request.plant()).filter(plant -> !plant.isBlank()));
        UnitResponse body = UnitResponse.of(report.unit());
        return report.created()
                ? ResponseEntity.created(URI.create("/api/production/preorders/" + request.preorderId())).body(body)
                : ResponseEntity.ok(body);
    }

    /**
     * @param vin     the VIN the plant gave the unit; production assigns one when absent
     * @param builtAt when it was built; now when absent
     * @param plant   where; the configured plant when absent
     */
    record UnitReportRequest(@NotNull UUID preorderId, String vin, Instant builtAt, @Size(max = 100) String plant) {
    }

    record UnitResponse(UUID preorderId, String vin, Variant variant, String plant, Instant builtAt, LocalDate builtOn,
                        LocalDate eta) {

        static UnitResponse of(PreorderState state) {
            return new UnitResponse(state.id().value(), state.vin(), state.variant(), state.plant(), state.builtAt(),
                    state.estimatedBuildDate(), state.eta());
        }
    }
}
