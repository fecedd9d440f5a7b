package dev.vitcap.app;

import dev.vitcap.train.TrainStep;
import dev.vitcap.train.TrainingRun;
import dev.vitcap.train.TrainingState;

import java.io.PrintStream;
import java.util.Map;

/**
 * A training run on the console: its notes on standard output, skipped items on standard error, and
 * the progress line: epoch, a bar, loss (smoothed), images per second and the time left. On a terminal
 * it redraws one line; otherwise (a log file, CI) it prints a line every 15 seconds.
 */
final class ProgressBar implements TrainingRun.Listener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private int perEpoch = 1;
    private final boolean terminal = System.console() != null;
    private double loss = Double.NaN, rate = Double.NaN;
    private long lastPrint;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void note(String line) {
        out.println(line);
    }

    @Override
    public void skipped(String line) {
        System.err.println(line);
    }

    @Override
    public void started(TrainingState state, int batchesPerEpoch) {
        perEpoch = batchesPerEpoch;
    }

    @Override
    public void step(TrainingState s, TrainStep.Result result, float lr, double seconds, int images) {
        int epochs = s.config().epochs();
        loss = Double.isNaN(loss) ? result.loss() : 0.95 * loss + 0.05 * result.loss();
        double r = images / seconds;
        rate = Double.isNaN(rate) ? r : 0.9 * rate + 0.1 * r;
        long now = System.currentTimeMillis();
        if (!terminal && now - lastPrint < 15_000 && s.batch() < perEpoch) return;
        lastPrint = now;
        double done = (double) s.batch() / perEpoch;
        int filled = (int) Math.round(done * WIDTH);
        long stepsLeft = (long) (epochs - s.epoch()) * perEpoch - s.batch();
        double secondsPerStep = images / rate;
        String line = String.format("epoch %d/%d [%s%s] %3.0f%% loss %.3f | %.1f img/s | %s left",
                s.epoch() + 1, epochs, "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * done, loss, rate,
                duration(stepsLeft * secondsPerStep));
        if (terminal) out.print("\r" + line);
        else out.println(line);
        out.flush();
    }

    @Override
    public void epoch(TrainingState s, Map<String, Double> metrics, boolean best) {
        if (terminal) out.println();
        StringBuilder b = new StringBuilder(s.epoch() == 0 ? "before training" : "epoch " + s.epoch() + " done"); // epoch 0: the --init model
        metrics.forEach((k, v) -> b.append(String.format(" %s %.3f", k, v)));
        if (best) b.append(" (best so far)");
        out.println(b);
        out.flush();
    }

    static String duration(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) return "?";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
