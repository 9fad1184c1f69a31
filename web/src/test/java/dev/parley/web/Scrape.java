package dev.parley.web;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;

/**
 * One scrape of {@code /metrics}, read by Hawkular's Prometheus text-format parser (not ours), with look-ups by
 * family name and labels.
 */
record Scrape(List<MetricFamily> families) {
    static Scrape parse(String text) {
        var walker = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), walker).walk();
        return new Scrape(walker.getAllMetricFamilies());
    }

    Optional<MetricFamily> family(String name) {
        return families.stream().filter(f -> f.getName().equals(name)).findFirst();
    }

    /** {@return the sum of the family's samples whose labels include {@code labels}; 0 when there are none} */
    double value(String name, Map<String, String> labels) {
        double sum = 0;
        for (Metric m : family(name).map(MetricFamily::getMetrics).orElse(List.of())) {
            if (!m.getLabels().entrySet().containsAll(labels.entrySet())) continue;
            sum += switch (m) {
                case Counter c -> c.getValue();
                case Gauge g -> g.getValue();
                case Histogram h -> h.getSampleCount();
                default -> throw new AssertionError("Not a counter, gauge or histogram: " + name);
            };
        }
        return sum;
    }

    double value(String name) {
        return value(name, Map.of());
    }

    /** {@return every label value of every sample} */
    Set<String> labelValues() {
        Set<String> values = new HashSet<>();
        for (MetricFamily f : families) for (Metric m : f.getMetrics()) values.addAll(m.getLabels().values());
        return values;
    }
}
