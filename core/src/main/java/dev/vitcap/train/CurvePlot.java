package dev.vitcap.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.diagram.Chart;
import dev.vitcap.io.AtomicFiles;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the training curves of a {@code log.jsonl} to a PNG: loss by step, validation CIDEr-D by epoch,
 * and the validation figures that live in [0, 1] (BLEU-4, truthfulness) by epoch; for self-critical
 * training, a second row: the samples' mean reward and the mean baseline by step (the same curve when
 * the baseline is the mean of the other samples), and the entropy of the distributions sampled from.
 */
final class CurvePlot {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CurvePlot() {
    }

    static void write(Path log, Path png) throws IOException {
        List<double[]> loss = new ArrayList<>();
        List<String> rewardNames = List.of("reward", "baseline", "entropy");
        List<List<double[]>> rewards = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<String> metricNames = List.of("CIDEr", "Bleu_4", "truthful", "fact_accuracy");
        List<List<double[]>> metrics = new ArrayList<>();
        for (int i = 0; i < metricNames.size(); i++) metrics.add(new ArrayList<>());
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            JsonNode o = JSON.readTree(line);
            if (o.path("type").asText().equals("step")) {
                loss.add(new double[]{o.path("step").asDouble(), o.path("loss").asDouble()});
                for (int i = 0; i < rewardNames.size(); i++) {
                    if (o.has(rewardNames.get(i))) rewards.get(i).add(new double[]{o.path("step").asDouble(), o.path(rewardNames.get(i)).asDouble()});
                }
            } else for (int i = 0; i < metricNames.size(); i++) {
                if (o.has(metricNames.get(i))) metrics.get(i).add(new double[]{o.path("epoch").asDouble(), o.path(metricNames.get(i)).asDouble()});
            }
        }
        boolean selfCritical = !rewards.get(0).isEmpty();
        BufferedImage img = new BufferedImage(1260, selfCritical ? 820 : 420, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        panel(g, 50, 30, 340, 340, "training loss by step", List.of(smooth(loss)), List.of("loss"));
        panel(g, 460, 30, 340, 340, "validation CIDEr-D by epoch", metrics.subList(0, 1), metricNames.subList(0, 1));
        panel(g, 870, 30, 340, 340, "validation by epoch", metrics.subList(1, metrics.size()), metricNames.subList(1, metricNames.size()));
        if (selfCritical) {
            panel(g, 50, 430, 340, 340, "self-critical: mean CIDEr-D reward by step", List.of(smooth(rewards.get(0)), smooth(rewards.get(1))), rewardNames.subList(0, 2));
            panel(g, 460, 430, 340, 340, "self-critical: entropy of the sampled words", List.of(smooth(rewards.get(2))), rewardNames.subList(2, 3));
        }
        g.dispose();
        AtomicFiles.writePng(png, img);
    }

    /** A running mean over about 1 % of the points, so the trend shows through the batch noise. */
    private static List<double[]> smooth(List<double[]> points) {
        int w = Math.max(1, points.size() / 100);
        List<double[]> out = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < points.size(); i++) {
            sum += points.get(i)[1];
            if (i >= w) sum -= points.get(i - w)[1];
            out.add(new double[]{points.get(i)[0], sum / Math.min(i + 1, w)});
        }
        return out;
    }

    private static void panel(Graphics2D g, int x, int y, int w, int h, String title, List<List<double[]>> series, List<String> names) {
        List<Chart.Series> lines = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) lines.add(new Chart.Series(names.get(i), series.get(i), true, i));
        Chart.panel(g, x, y, w, h, title, lines, false);
    }
}
