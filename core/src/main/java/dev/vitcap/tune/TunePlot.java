package dev.vitcap.tune;

import dev.vitcap.diagram.Chart;
import dev.vitcap.io.AtomicFiles;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tune.png}: each trial's objective over the search's time and over its epochs (stages
 * promoted by hyperband or ASHA show as lines climbing the rungs), the best so far, and one panel per
 * hyperparameter with each trial's value against its objective.
 */
final class TunePlot {
    private static final int PANEL_W = 250, PANEL_H = 190, COLUMNS = 4;
    private static final Color TRIAL = new Color(0x1f77b4), BEST = new Color(0xd62728);

    private TunePlot() {
    }

    static void write(List<Trial> trials, Space space, String objective, Path png) throws IOException {
        List<String> names = space.names();
        int rows = (names.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage img = new BufferedImage(1260, 420 + rows * (PANEL_H + 70), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        List<Chart.Series> overTime = new ArrayList<>(), overEpochs = new ArrayList<>();
        List<double[]> best = new ArrayList<>();
        List<double[]> ends = new ArrayList<>();
        for (Trial t : trials) {
            List<double[]> time = new ArrayList<>(), epochs = new ArrayList<>();
            t.overTime.forEach((seconds, value) -> time.add(new double[]{seconds / 60, value}));
            t.byEpochs.forEach((e, value) -> epochs.add(new double[]{e, value}));
            overTime.add(new Chart.Series(null, time, true, TRIAL));
            overEpochs.add(new Chart.Series(null, epochs, true, TRIAL));
            t.overTime.forEach((seconds, value) -> ends.add(new double[]{seconds / 60, value}));
        }
        ends.sort((a, b) -> Double.compare(a[0], b[0]));
        // A step at each new best, held to the last stage's end.
        double top = Double.NEGATIVE_INFINITY;
        for (double[] p : ends) {
            if (p[1] <= top) continue;
            if (!best.isEmpty()) best.add(new double[]{p[0], top});
            top = p[1];
            best.add(new double[]{p[0], top});
        }
        if (!ends.isEmpty()) best.add(new double[]{ends.get(ends.size() - 1)[0], top});
        overTime.add(new Chart.Series("best so far", best, true, BEST));
        Chart.panel(g, 60, 40, 540, 320, "validation " + objective + " of each trial by search minutes", overTime, false);
        Chart.panel(g, 680, 40, 540, 320, "validation " + objective + " of each trial by epochs trained", overEpochs, false);

        // Trials stopped at different rungs are not alike: one colour for each number of epochs trained.
        List<Integer> epochs = trials.stream().filter(t -> !Double.isNaN(t.objective)).map(t -> t.epochs).distinct().sorted().toList();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            List<Chart.Series> byEpochs = new ArrayList<>();
            for (int e = 0; e < epochs.size(); e++) {
                int trained = epochs.get(e);
                List<double[]> points = new ArrayList<>();
                for (Trial t : trials) {
                    if (!Double.isNaN(t.objective) && t.epochs == trained) points.add(new double[]{axis(space, name, t.params), t.objective});
                }
                byEpochs.add(new Chart.Series(i == 0 ? trained + (trained == 1 ? " epoch" : " epochs") : null, points, false, e));
            }
            int x = 60 + (i % COLUMNS) * (PANEL_W + 60), y = 440 + (i / COLUMNS) * (PANEL_H + 70);
            String title = name + (space.logScale(name) ? " (log scale)" : space.numeric(name) ? "" : " " + space.choices(name));
            Chart.panel(g, x, y, PANEL_W, PANEL_H, title, byEpochs, space.logScale(name));
        }
        g.dispose();
        AtomicFiles.writePng(png, img);
    }

    /** Where a trial's value sits on its parameter's axis: log10 for a log scale, the index of a choice that is not a number. */
    private static double axis(Space space, String name, Map<String, Object> params) {
        Object v = params.get(name);
        if (!space.numeric(name)) return space.choices(name).indexOf(v);
        double d = ((Number) v).doubleValue();
        return space.logScale(name) ? Math.log10(d) : d;
    }
}
