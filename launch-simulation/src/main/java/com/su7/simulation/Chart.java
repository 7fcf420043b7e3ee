package com.su7.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * An SVG line chart of the launch over factory days: preorders offered (sent by the app's backend: the launch curve),
 * placed, built, scheduled and cancelled (cumulative), the production queue (placed but not built), and the customers
 * the notification service has told that their car comes earlier; a legend above the plot and the report's notes
 * (notifications, freshness, cancellations) below it. Where placed runs below offered, the system fell behind the
 * launch. Plain SVG, so any browser opens it.
 */
final class Chart {

    private static final int WIDTH = 900;
    private static final int PLOT_HEIGHT = 360;
    private static final int MARGIN = 60;
    private static final int TOP = 84;
    private static final int LEGEND_ENTRY_WIDTH = 190;
    private static final int LEGEND_PER_ROW = 4;
    private static final int LINE = 18;
    /** Characters of a note per line: what fits between the margins at the chart's font size. */
    static final int NOTE_WIDTH = 118;

    private Chart() {
    }

    /** Cumulative counts at a moment of the launch; toldEarlier: customers last told an earlier date than first promised. */
    record Point(double day, long offered, long placed, long built, long scheduled, long cancelled, long toldEarlier) {
        long queue() {
            return placed - built - cancelled;
        }
    }

    /** @param notes lines of text under the plot, wrapped at {@link #NOTE_WIDTH} characters */
    static String svg(String title, List<String> notes, List<Point> points) {
        notes = notes.stream().flatMap(note -> wrap(note).stream()).toList();
        int height = TOP + PLOT_HEIGHT + 40 + LINE * notes.size() + 10;
        double maxDay = Math.max(1, points.stream().mapToDouble(Point::day).max().orElse(1));
        long maxValue = Math.max(1, points.stream().mapToLong(point -> Math.max(point.offered(), point.placed())).max().orElse(1));
        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(format("<text x=\"%d\" y=\"24\" font-size=\"16\">%s</text>%n", MARGIN, escape(title)));
        svg.append(format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                MARGIN, TOP + PLOT_HEIGHT, WIDTH - MARGIN, TOP + PLOT_HEIGHT));
        svg.append(format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", MARGIN, TOP, MARGIN, TOP + PLOT_HEIGHT));
        for (int tick = 0; tick <= 5; tick++) {
            double value = maxValue * tick / 5.0;
            double y = y(value, maxValue);
            svg.append(format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%,.0f</text>%n", MARGIN - 6, y + 4, value));
            double day = maxDay * tick / 5.0;
            svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n",
                    x(day, maxDay), TOP + PLOT_HEIGHT + 18, day));
        }
        svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">factory day</text>%n", WIDTH / 2, TOP + PLOT_HEIGHT + 34));
        // The queue first: it equals placed until the first unit is built, and placed must stay visible on top.
        series(svg, points, maxDay, maxValue, "#d62728", null, "production queue", Point::queue, 4);
        series(svg, points, maxDay, maxValue, "#7f7f7f", "6 4", "offered (sent)", Point::offered, 0);
        series(svg, points, maxDay, maxValue, "#1f77b4", null, "placed", Point::placed, 1);
        series(svg, points, maxDay, maxValue, "#ff7f0e", null, "built", Point::built, 2);
        series(svg, points, maxDay, maxValue, "#2ca02c", null, "scheduled", Point::scheduled, 3);
        series(svg, points, maxDay, maxValue, "#9467bd", null, "cancelled", Point::cancelled, 5);
        series(svg, points, maxDay, maxValue, "#17becf", "2 3", "told: comes earlier (push)", Point::toldEarlier, 6);
        for (int i = 0; i < notes.size(); i++) {
            svg.append(format("<text x=\"%d\" y=\"%d\" xml:space=\"preserve\">%s</text>%n", MARGIN, TOP + PLOT_HEIGHT + 40 + LINE * (i + 1),
                    escape(notes.get(i))));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** A line, dashed when {@code dashes} is given, and its legend entry (in rows above the plot, where no line runs). */
    private static void series(StringBuilder svg, List<Point> points, double maxDay, long maxValue, String color,
                               String dashes, String label, ToLongFunction<Point> value, int legendEntry) {
        StringBuilder path = new StringBuilder();
        for (Point point : points) {
            path.append(path.isEmpty() ? "M" : " L").append(format("%.1f %.1f",
                    x(point.day(), maxDay), y(value.applyAsLong(point), maxValue)));
        }
        String dash = dashes == null ? "" : format(" stroke-dasharray=\"%s\"", dashes);
        svg.append(format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", path, color, dash));
        int legendX = MARGIN + legendEntry % LEGEND_PER_ROW * LEGEND_ENTRY_WIDTH;
        int legendY = 46 + legendEntry / LEGEND_PER_ROW * LINE;
        svg.append(format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"%s/>%n",
                legendX, legendY - 4, legendX + 20, legendY - 4, color, dash));
        svg.append(format("<text x=\"%d\" y=\"%d\">%s</text>%n", legendX + 26, legendY, label));
    }

    /** Breaks a note between words; lines after its first are indented. */
    private static List<String> wrap(String note) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : note.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > NOTE_WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder("    ");
            }
            line.append(line.isEmpty() || line.toString().isBlank() ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static double x(double day, double maxDay) {
        return MARGIN + (WIDTH - 2.0 * MARGIN) * day / maxDay;
    }

    private static double y(double value, long maxValue) {
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / maxValue;
    }

    /** Numbers in SVG need a decimal point, whatever the default locale. */
    private static String format(String pattern, Object... arguments) {
        return String.format(Locale.ROOT, pattern, arguments);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
