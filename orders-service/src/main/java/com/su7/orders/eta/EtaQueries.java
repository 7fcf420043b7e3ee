package com.su7.orders.eta;

import com.su7.contract.PreorderId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads the ETA projection: where preorders are and when they should arrive (their history: {@link EtaHistory}). */
@Component
public class EtaQueries {

    private final JdbcClient jdbc;

    EtaQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The states of many preorders with one statement; a preorder not in the projection is absent. */
    public Map<PreorderId, EtaState> states(Collection<PreorderId> preorderIds) {
        if (preorderIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("select preorder_id, status, vin, delivery_center, eta_earliest, eta_latest from preorder_eta where preorder_id = any(?)")
                .param(preorderIds.stream().map(PreorderId::value).toArray(UUID[]::new)).query(EtaQueries::stateOf).stream()
                .collect(Collectors.toMap(EtaState::preorderId, Function.identity()));
    }

    private static EtaState stateOf(ResultSet rs, int row) throws SQLException {
        return new EtaState(new PreorderId(rs.getObject("preorder_id", UUID.class)), ProjectionStatus.valueOf(rs.getString("status")),
                rs.getString("vin"), rs.getString("delivery_center"),
                new Eta(rs.getObject("eta_earliest", LocalDate.class), rs.getObject("eta_latest", LocalDate.class)));
    }
}
