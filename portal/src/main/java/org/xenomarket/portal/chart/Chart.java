package org.xenomarket.portal.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a page's chart draws, handed to the browser's uPlot (static/charts.js) as JSON: bars over
 * named categories, or lines over time (x in epoch seconds). The page shows the same numbers in a
 * table, so the chart is an aid and never the only place a figure is.
 */
@TemplateData
public final class Chart {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line or one set of bars: its legend and a value per x (null where there is none). */
    public record Series(String label, List<Number> values) {
    }

    private final String kind;
    private final String title;
    private final List<Object> x;
    private final List<Series> series;

    private Chart(String kind, String title, List<Object> x, List<Series> series) {
        this.kind = kind;
        this.title = title;
        this.x = x;
        this.series = series;
    }

    /** Bars over categories (a region, a provider, a period). */
    public static Chart bars(String title, List<String> categories, List<Series> series) {
        return new Chart("bars", title, new ArrayList<>(categories), series);
    }

    /** Lines over time: {@code epochSeconds} ascending. */
    public static Chart lines(String title, List<Long> epochSeconds, List<Series> series) {
        return new Chart("time", title, new ArrayList<>(epochSeconds), series);
    }

    public String title() {
        return title;
    }

    public boolean empty() {
        return x.isEmpty() || series.isEmpty();
    }

    /** The chart as JSON for the page's data island; Qute escapes it for HTML. */
    public String json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind);
        out.put("title", title);
        out.put("x", x);
        out.put("series", series);
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
