package com.su7.simulation;

import java.util.List;
import java.util.Locale;

/**
 * An SVG line chart of the launch over factory days: preorders placed, built and scheduled (cumulative), and
 * the production queue (placed but not built). Plain SVG, so any browser opens it.
 */
final class Chart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final int MARGIN = 60;

    private Chart() {
    }

    record Point(double day, long placed, long built, long scheduled) {
        long queue() {
            return placed - built;
        }
    }

    static String svg(String title, List<Point> points) {
        double maxDay = Math.max(1, points.stream().mapToDouble(Point::day).max().orElse(1));
        long maxValue = Math.max(1, points.stream().mapToLong(Point::placed).max().orElse(1));
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n"
                .formatted(WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"%d\" y=\"24\" font-size=\"16\">%s</text>%n".formatted(MARGIN, escape(title)));
        svg.append("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n".formatted(MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN));
        svg.append("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n".formatted(MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN));
        for (int tick = 0; tick <= 5; tick++) {
            double value = maxValue * tick / 5.0;
            double y = y(value, maxValue);
            svg.append("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%,.0f</text>%n".formatted(MARGIN - 6, y + 4, value));
            double day = maxDay * tick / 5.0;
            svg.append("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n".formatted(x(day, maxDay), HEIGHT - MARGIN + 18, day));
        }
        svg.append("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">factory day</text>%n".formatted(WIDTH / 2, HEIGHT - 16));
        series(svg, points, maxDay, maxValue, "#1f77b4", "placed", Point::placed, 0);
        series(svg, points, maxDay, maxValue, "#ff7f0e", "built", Point::built, 1);
        series(svg, points, maxDay, maxValue, "#2ca02c", "scheduled", Point::scheduled, 2);
        series(svg, points, maxDay, maxValue, "#d62728", "production queue", Point::queue, 3);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void series(StringBuilder svg, List<Point> points, double maxDay, long maxValue, String color,
                               String label, java.util.function.ToLongFunction<Point> value, int legendRow) {
        StringBuilder path = new StringBuilder();
        for (Point point : points) {
            path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f",
                    x(point.day(), maxDay), y(value.applyAsLong(point), maxValue)));
        }
        svg.append("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n".formatted(path, color));
        int legendY = MARGIN + 10 + legendRow * 18;
        svg.append("<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n".formatted(WIDTH - MARGIN - 150, legendY - 10, color));
        svg.append("<text x=\"%d\" y=\"%d\">%s</text>%n".formatted(WIDTH - MARGIN - 132, legendY, label));
    }

    private static double x(double day, double maxDay) {
        return MARGIN + (WIDTH - 2.0 * MARGIN) * day / maxDay;
    }

    private static double y(double value, long maxValue) {
        return HEIGHT - MARGIN - (HEIGHT - 2.0 * MARGIN) * value / maxValue;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
