package com.su7.simulation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ChartTests {

    @Test
    void drawsTheOfferedCurveBesideTheOthersWithALegend() {
        String svg = Chart.svg("launch", List.of("ETA freshness: p50 120 ms"), List.of(new Chart.Point(0, 0, 0, 0, 0, 0, 0),
                new Chart.Point(1, 900, 600, 100, 50, 5, 10), new Chart.Point(2, 1000, 1000, 400, 300, 20, 150)));

        assertThat(svg).contains("offered (sent)", "placed", "built", "scheduled", "production queue", "cancelled",
                "told: comes earlier (push)", ">ETA freshness: p50 120 ms</text>");
        assertThat(svg.split("<path ", -1)).hasSize(8);
        assertThat(svg).contains("stroke-dasharray");
        // The y axis reaches the most offered, even while placed lags behind.
        assertThat(svg).contains(">1,000</text>");
    }

    @Test
    void wrapsALongNoteBetweenWordsToFitTheChart() {
        String note = "cancellations: " + "1,431 requested, 165 accepted, ".repeat(8) + "done";

        String svg = Chart.svg("launch", List.of(note), List.of(new Chart.Point(0, 0, 0, 0, 0, 0, 0)));

        Matcher lines = Pattern.compile("<text [^>]*xml:space=\"preserve\">([^<]*)</text>").matcher(svg);
        StringBuilder joined = new StringBuilder();
        int count = 0;
        while (lines.find()) {
            assertThat(lines.group(1).length()).isLessThanOrEqualTo(Chart.NOTE_WIDTH);
            joined.append(lines.group(1).strip()).append(' ');
            count++;
        }
        assertThat(count).isGreaterThan(1);
        assertThat(joined.toString().strip()).isEqualTo(note);
    }

    @Test
    void writesNumbersWithADecimalPointUnderACommaDecimalDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        String svg;
        try {
            svg = Chart.svg("launch", List.of(), List.of(new Chart.Point(0, 0, 0, 0, 0, 0, 0),
                    new Chart.Point(0.5, 333, 250, 17, 3, 1, 2), new Chart.Point(1.25, 1234, 1000, 400, 300, 12, 90)));
        } finally {
            Locale.setDefault(before);
        }

        Matcher numericAttributes = Pattern.compile(" (?:x|y|x1|y1|x2|y2|width|height)=\"([^\"%]*)\"").matcher(svg);
        int checked = 0;
        while (numericAttributes.find()) {
            assertThat(numericAttributes.group(1)).matches("-?\\d+(\\.\\d+)?");
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
        Matcher paths = Pattern.compile(" d=\"([^\"]*)\"").matcher(svg);
        int pathCount = 0;
        while (paths.find()) {
            assertThat(paths.group(1)).matches("M\\d+\\.\\d \\d+\\.\\d( L\\d+\\.\\d \\d+\\.\\d)*");
            pathCount++;
        }
        assertThat(pathCount).isEqualTo(7);
        // The axis labels group thousands the same way in every locale.
        assertThat(svg).contains(">1,234</text>").doesNotContain("1.234<");
    }
}
