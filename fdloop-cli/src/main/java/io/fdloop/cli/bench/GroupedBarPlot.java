package io.fdloop.cli.bench;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The {@code --plot} PNG of the network benchmarks: throughput above, p99 latency below (log
 * scale), a bar per engine in each group (a group per HTTP case; one group for an echo run).
 * Drawn headless.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class GroupedBarPlot {
    private static final int WIDTH = 1100, HEIGHT = 800;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x17becf),
            new Color(0xff7f0e), new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b),
            new Color(0x7f7f7f), new Color(0xe377c2), new Color(0xbcbd22)};

    /**
     * One bar pair.
     *
     * @param group      the group it stands in (an HTTP case, or the echo job)
     * @param series     the engine
     * @param throughput requests per second
     * @param p99Us      p99 latency, microseconds
     */
    public record Bar(String group, String series, double throughput, double p99Us) {
    }

    private GroupedBarPlot() {
    }

    public static void write(Path png, String title, String subtitle, List<Bar> bars) throws IOException {
        if (bars.isEmpty()) {
            throw new IOException("nothing to plot: no engine ran");
        }
        System.setProperty("java.awt.headless", "true");
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(new CategoryAxis(null));
        CategoryPlot throughput = plot(bars, new NumberAxis("requests/s"), Bar::throughput, "#,##0");
        plot.add(throughput, 1);
        LogarithmicAxis latency = new LogarithmicAxis("p99 latency (us, log scale)");
        latency.setStrictValuesFlag(false);
        latency.setAutoRangeNextLogFlag(false);
        latency.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        plot.add(plot(bars, latency, Bar::p99Us, "#,##0"), 1);
        plot.setGap(16);
        plot.setFixedLegendItems(throughput.getLegendItems()); // one entry per engine, not one per subplot
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 18)));
        chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    private static CategoryPlot plot(List<Bar> bars, ValueAxis axis, ToDoubleFunction<Bar> value, String format) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Set<String> series = new LinkedHashSet<>();
        double smallest = Double.MAX_VALUE;
        for (Bar bar : bars) {
            double v = value.applyAsDouble(bar);
            boolean known = !Double.isNaN(v) && v > 0;
            data.addValue(known ? v : null, bar.series(), bar.group());
            series.add(bar.series());
            if (known) {
                smallest = Math.min(smallest, v);
            }
        }
        BarRenderer renderer = new BarRenderer();
        int i = 0;
        for (String name : series) {
            renderer.setSeriesPaint(data.getRowIndex(name), PALETTE[i++ % PALETTE.length]);
        }
        if (axis instanceof LogarithmicAxis) {
            // bars on a log scale grow from a floor below the smallest value, not from 0
            renderer.setBase(smallest == Double.MAX_VALUE ? 1 : Math.pow(10, Math.floor(Math.log10(smallest))));
            renderer.setIncludeBaseInRange(true);
        }
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat(format)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        axis.setUpperMargin(0.15);
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        if (axis instanceof NumberAxis numbers && !(axis instanceof LogarithmicAxis)) {
            numbers.setNumberFormatOverride(new DecimalFormat("#,##0"));
        }
        CategoryPlot plot = new CategoryPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }
}
