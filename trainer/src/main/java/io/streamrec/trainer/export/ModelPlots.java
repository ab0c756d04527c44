package io.streamrec.trainer.export;

import io.streamrec.core.analysis.EmbeddingMap;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.trainer.train.TrainingCurve;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PNG pictures of a trained model, written next to it for people who would rather look than read (XChart):
 * {@value #TRAINING_CURVE} — each training phase's loss per epoch (training and validation), and
 * {@value #EMBEDDING_MAP} — the movies' retrieval embeddings projected to 2-D by PCA, coloured by first genre.
 */
public final class ModelPlots {
    public static final String TRAINING_CURVE = "training-curve.png";
    public static final String EMBEDDING_MAP = "embedding-map.png";
    /** Genres with their own colour on the map; the rest are grouped as "other". */
    private static final int MAX_GENRES = 12;
    /** Distinct colours for the genres (XChart's default palette has greys that read as "other"). */
    private static final Color[] PALETTE = {new Color(230, 25, 75), new Color(60, 180, 75), new Color(67, 99, 216),
            new Color(245, 130, 48), new Color(145, 30, 180), new Color(66, 212, 244), new Color(240, 50, 230),
            new Color(154, 99, 36), new Color(70, 153, 144), new Color(128, 0, 0), new Color(128, 128, 0),
            new Color(0, 0, 117), new Color(160, 160, 160, 120)};

    static {
        System.setProperty("java.awt.headless", "true"); // drawing to images only; no display needed
    }

    private ModelPlots() {}

    /** Writes both pictures into {@code dir}; returns their paths. */
    public static List<Path> write(TrainingCurve curve, RecommenderModel model, Path dir) {
        try {
            Path a = dir.resolve(TRAINING_CURVE), b = dir.resolve(EMBEDDING_MAP);
            writeTrainingCurve(curve, a);
            writeEmbeddingMap(model, b);
            return List.of(a, b);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the model plots to " + dir, e);
        }
    }

    static void writeTrainingCurve(TrainingCurve curve, Path file) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        curve.phases().forEach((phase, points) -> {
            XYChart c = new XYChartBuilder().width(520).height(360).title(phase).xAxisTitle("epoch").yAxisTitle("loss").build();
            style(c);
            double[] epochs = points.stream().mapToDouble(TrainingCurve.Point::epoch).toArray();
            c.addSeries("training", epochs, points.stream().mapToDouble(TrainingCurve.Point::train).toArray());
            if (points.stream().anyMatch(p -> !Double.isNaN(p.validation()))) {
                c.addSeries("validation", epochs, points.stream().mapToDouble(TrainingCurve.Point::validation).toArray());
            }
            charts.add(c);
        });
        if (charts.isEmpty()) throw new IllegalArgumentException("curve: no epochs recorded");
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static void writeEmbeddingMap(RecommenderModel model, Path file) throws IOException {
        EmbeddingMap map = EmbeddingMap.of(model);
        if (map.size() == 0) throw new IllegalArgumentException("model: no trained item vectors to plot");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i : map.items()) counts.merge(genre(model.movie(i)), 1, Integer::sum);
        List<String> kept = counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(MAX_GENRES).map(Map.Entry::getKey).toList();
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (int r = 0; r < map.size(); r++) {
            String g = genre(model.movie(map.items()[r]));
            series.computeIfAbsent(kept.contains(g) ? g : "other", k -> new ArrayList<>()).add(new double[]{map.x(r), map.y(r)});
        }
        XYChart chart = new XYChartBuilder().width(1000).height(760)
                .title("Movie embeddings (PCA of retrieval vectors), model " + model.version())
                .xAxisTitle("PC 1").yAxisTitle("PC 2").build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setSeriesColors(PALETTE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        series.entrySet().stream().sorted(Comparator.comparing(e -> e.getKey().equals("other") ? 1 : 0)).forEach(e -> {
            XYSeries s = chart.addSeries(e.getKey() + " (" + e.getValue().size() + ")",
                    e.getValue().stream().mapToDouble(p -> p[0]).toArray(), e.getValue().stream().mapToDouble(p -> p[1]).toArray());
            s.setMarker(SeriesMarkers.CIRCLE);
            if (e.getKey().equals("other")) s.setMarkerColor(PALETTE[PALETTE.length - 1]);
        });
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String genre(MovieMeta m) {
        return m.genres().isEmpty() ? "(no genre)" : m.genres().get(0);
    }

    private static void style(XYChart c) {
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesColor(new Color(230, 230, 230));
        c.getStyler().setLegendBorderColor(Color.WHITE);
    }
}
