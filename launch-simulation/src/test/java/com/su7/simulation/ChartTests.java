package com.su7.simulation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartTests {

    @Test
    void drawsTheOfferedCurveBesideTheOthersWithALegend() {
        String svg = Chart.svg("launch", List.of(new Chart.Point(0, 0, 0, 0, 0), new Chart.Point(1, 900, 600, 100, 50),
                new Chart.Point(2, 1000, 1000, 400, 300)));

        assertThat(svg).contains("offered (sent)", "placed", "built", "scheduled", "production queue");
        assertThat(svg.split("<path ", -1)).hasSize(6);
        assertThat(svg).contains("stroke-dasharray");
        // The y axis reaches the most offered, even while placed lags behind.
        assertThat(svg).contains(">1,000</text>");
    }
}
