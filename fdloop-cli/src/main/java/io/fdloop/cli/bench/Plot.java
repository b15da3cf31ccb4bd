package io.fdloop.cli.bench;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The {@code --plot} PNG: IOPS and p99 latency per engine, as bars for one queue depth or as lines
 * against the queue depth in a sweep. Drawn headless.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Plot {
    private static final int WIDTH = 1100, HEIGHT = 800;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x17becf),
            new Color(0xff7f0e), new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b),
            new Color(0x7f7f7f), new Color(0xe377c2), new Color(0xbcbd22)};

    private static final Shape[] SHAPES = DefaultDrawingSupplier.createStandardSeriesShapes();

    private Plot() {
    }

    /** Writes the chart of {@code results} to {@code png}. */
    public static void write(List<Result> results, Path png) throws IOException {
        if (results.isEmpty()) {
            throw new IOException("nothing to plot: no engine ran");
        }
        System.setProperty("java.awt.headless", "true");
        List<String> engines = engines(results);
        Set<Integer> depths = new LinkedHashSet<>();
        for (Result r : results) {
            depths.add(r.job().queueDepth());
        }
        JFreeChart chart = depths.size() > 1 ? sweep(results, engines) : bars(results, engines);
        Job job = results.getFirst().job();
        chart.setTitle(new TextTitle(String.format(Locale.ROOT, "fdloop bench: %s %s%s%s", job.rw(),
                Units.bytes(job.blockSize()), job.direct() ? ", O_DIRECT" : "",
                depths.size() > 1 ? "" : ", queue depth " + job.queueDepth()), new Font(Font.SANS_SERIF, Font.BOLD, 18)));
        // A device keeps its well-known path; a file shows its name only, not where it lives on this machine.
        Path shown = job.file().startsWith("/dev") ? job.file() : job.file().getFileName();
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "%s, %s s per engine, %d cores, Linux %s",
                shown, job.timeBased() ? String.format(Locale.ROOT, "%.1f", job.runtimeNs() / 1e9) : job.ops() + " ops /",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.version")),
                new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    private static JFreeChart bars(List<Result> results, List<String> engines) {
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(new CategoryAxis("engine"));
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        plot.add(barPlot(results, engines, new NumberAxis("IOPS"), Result::iops, "#,##0"), 1);
        plot.add(barPlot(results, engines, latencyAxis(), r -> r.latency().p99Us(), "#,##0.0"), 1);
        plot.setGap(16);
        return new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    }

    private static CategoryPlot barPlot(List<Result> results, List<String> engines, ValueAxis axis,
                                        ToDoubleFunction<Result> value, String format) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Result r : results) {
            double v = value.applyAsDouble(r);
            data.addValue(Double.isNaN(v) ? null : v, axis.getLabel(), r.engine());
        }
        BarRenderer renderer = new BarRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public Paint getItemPaint(int row, int column) {
                return color(engines, (String) data.getColumnKey(column));
            }
        };
        if (axis instanceof LogarithmicAxis) {
            // bars on a log scale grow from a floor below the smallest value, not from 0
            double smallest = Double.MAX_VALUE;
            for (Result r : results) {
                double v = value.applyAsDouble(r);
                if (v > 0) {
                    smallest = Math.min(smallest, v);
                }
            }
            renderer.setBase(smallest == Double.MAX_VALUE ? 1 : Math.pow(10, Math.floor(Math.log10(smallest))));
            renderer.setIncludeBaseInRange(true);
        }
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.08);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat(format)));
        renderer.setDefaultItemLabelsVisible(true);
        axis.setUpperMargin(0.15);
        if (axis instanceof NumberAxis numbers) {
            numbers.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        }
        CategoryPlot plot = new CategoryPlot(data, null, axis, renderer);
        style(plot.getRangeAxis());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static JFreeChart sweep(List<Result> results, List<String> engines) {
        LogAxis depth = new LogAxis("queue depth");
        depth.setBase(2);
        depth.setTickUnit(new NumberTickUnit(1));
        depth.setNumberFormatOverride(new DecimalFormat("0"));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(depth);
        XYPlot iops = linePlot(results, engines, new NumberAxis("IOPS"), Result::iops);
        plot.add(iops, 1);
        plot.add(linePlot(results, engines, latencyAxis(), r -> r.latency().p99Us()), 1);
        plot.setGap(16);
        plot.setFixedLegendItems(iops.getLegendItems()); // one legend entry per engine, not one per subplot
        return new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static XYPlot linePlot(List<Result> results, List<String> engines, ValueAxis axis,
                                   ToDoubleFunction<Result> value) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (String engine : engines) {
            XYSeries series = new XYSeries(engine);
            for (Result r : results) {
                double v = value.applyAsDouble(r);
                if (r.engine().equals(engine) && !Double.isNaN(v) && v > 0) {
                    series.add(r.job().queueDepth(), v);
                }
            }
            int index = data.getSeriesCount();
            renderer.setSeriesPaint(index, color(engines, engine));
            renderer.setSeriesShape(index, SHAPES[engines.indexOf(engine) % SHAPES.length]);
            renderer.setSeriesStroke(index, new BasicStroke(2f));
            data.addSeries(series);
        }
        if (axis instanceof NumberAxis numbers) {
            numbers.setNumberFormatOverride(new DecimalFormat("#,##0"));
        }
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        style(axis);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /** Log scale, ticks at round values (1, 2, 5, 10, ...) rather than at powers of a base. */
    private static LogarithmicAxis latencyAxis() {
        LogarithmicAxis axis = new LogarithmicAxis("p99 latency (us, log scale)");
        axis.setStrictValuesFlag(false);
        axis.setAutoRangeNextLogFlag(false);
        return axis;
    }

    private static void style(ValueAxis axis) {
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    }

    private static List<String> engines(List<Result> results) {
        Set<String> names = new LinkedHashSet<>();
        for (Result r : results) {
            names.add(r.engine());
        }
        return new ArrayList<>(names);
    }

    private static Color color(List<String> engines, String engine) {
        return PALETTE[Math.max(0, engines.indexOf(engine)) % PALETTE.length];
    }
}
