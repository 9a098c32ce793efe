package io.github.dropin.keycloak.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak run's timeline as four SVG line charts (heap, single-use entries, throughput, p99 over minutes), small
 * enough to read in a pull request and shown by GitHub in RESULTS.md; written without a plotting library, since the
 * benchmark has no other use for one.
 */
final class SoakPlots {

    /** One line of a chart: the timeline field it draws, its legend and colour. */
    record Line(String field, String legend, String colour) {
    }

    /** One chart: its file, title, unit of the y axis and lines. */
    record Chart(String file, String title, String unit, List<Line> lines) {
    }

    static final List<Chart> CHARTS = List.of(
            new Chart("heap.svg", "Heap of the node", "MiB", List.of(
                    new Line("heapUsedMb", "heap used", "#9aa5b1"),
                    new Line("oldGenUsedMb", "old generation used", "#1f77b4"),
                    new Line("liveDataAfterGcMb", "live data after the last old-generation collection", "#d62728"))),
            new Chart("single-use-entries.svg", "Entries of the single-use store (actionTokens cache)", "entries",
                    List.of(new Line("singleUseEntries", "entries", "#2ca02c"))),
            new Chart("throughput.svg", "Throughput (requests answered per second, 10 s intervals)", "requests/s",
                    List.of(new Line("requestsPerSecond", "requests/s", "#1f77b4"))),
            new Chart("p99.svg", "p99 latency over the last minute", "ms",
                    List.of(new Line("p99LastMinute", "p99", "#ff7f0e"))));

    private static final int WIDTH = 760;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private SoakPlots() {
    }

    static void write(Path dir, List<Map<String, Object>> timeline) {
        try {
            Files.createDirectories(dir);
            for (Chart chart : CHARTS) {
                Files.writeString(dir.resolve(chart.file()), svg(chart, timeline));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the soak plots into " + dir, e);
        }
    }

    static String svg(Chart chart, List<Map<String, Object>> timeline) {
        double maxX = Math.max(1, timeline.stream().mapToDouble(p -> number(p, "second")).max().orElse(1) / 60.0);
        double maxY = 0;
        for (Line line : chart.lines()) {
            maxY = Math.max(maxY, timeline.stream().mapToDouble(p -> number(p, line.field())).max().orElse(0));
        }
        maxY = niceCeiling(maxY);
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(chart.title())));
        for (int i = 0; i <= 4; i++) {
            double value = maxY * i / 4;
            double y = TOP + plotHeight - plotHeight * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>%n",
                    LEFT, y, LEFT + plotWidth, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6,
                    y + 4, label(value)));
        }
        int step = maxX > 20 ? 5 : maxX > 8 ? 2 : 1;
        for (int minute = 0; minute <= maxX; minute += step) {
            double x = LEFT + plotWidth * minute / maxX;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x,
                    TOP + plotHeight + 16, minute));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">minutes of the soak run</text>%n",
                LEFT + plotWidth / 2, TOP + plotHeight + 32));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
                TOP + plotHeight / 2, TOP + plotHeight / 2, escape(chart.unit())));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                LEFT, TOP, plotWidth, plotHeight));
        int legendX = LEFT;
        for (Line line : chart.lines()) {
            StringBuilder points = new StringBuilder();
            for (Map<String, Object> p : timeline) {
                if (!p.containsKey(line.field())) {
                    continue;
                }
                double x = LEFT + plotWidth * (number(p, "second") / 60.0) / maxX;
                double y = TOP + plotHeight - (maxY == 0 ? 0 : plotHeight * number(p, line.field()) / maxY);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\"/>%n",
                    line.colour(), points.toString().strip()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>%n",
                    legendX, HEIGHT - 14, line.colour()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", legendX + 16, HEIGHT - 9,
                    escape(line.legend())));
            legendX += 30 + line.legend().length() * 7;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double number(Map<String, Object> point, String field) {
        Object value = point.get(field);
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * power >= value) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String label(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
