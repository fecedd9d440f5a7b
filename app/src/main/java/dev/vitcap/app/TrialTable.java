package dev.vitcap.app;

import dev.vitcap.tune.Search;
import dev.vitcap.tune.Trial;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live table of a search: on a terminal, redrawn in place as trials progress; into a file or a
 * pipe, a line for each trial whose status changed, so a log reads as the search's history.
 */
final class TrialTable implements Search.Listener {
    private final PrintStream out;
    private final boolean redraw;
    private final List<String> names;
    private final Map<Integer, String> shown = new HashMap<>();
    private int linesDrawn;

    TrialTable(PrintStream out, boolean redraw, List<String> names) {
        this.out = out;
        this.redraw = redraw;
        this.names = names;
    }

    @Override
    public void note(String line) {
        out.println(line);
        linesDrawn = 0;
    }

    @Override
    public void changed(List<Trial> trials, Map<Integer, Integer> epochNow, double elapsedSeconds) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("search    %s in, %d trials", ProgressBar.duration(elapsedSeconds), trials.size()));
        lines.add(header());
        for (Trial t : trials) lines.add(row(t, epochNow.get(t.id())));
        if (redraw) {
            if (linesDrawn > 0) out.printf("\033[%dF\033[J", linesDrawn); // back to the table's first line, and clear below
            lines.forEach(out::println);
            linesDrawn = lines.size();
        } else {
            if (shown.isEmpty() && !trials.isEmpty()) out.println(header());
            for (Trial t : trials) {
                String key = t.status().word() + " " + t.epochs() + " " + t.until();
                if (!key.equals(shown.put(t.id(), key))) out.println(row(t, null));
            }
        }
        out.flush();
    }

    /** A parameter's column: as wide as its name, and at least as wide as a value with four significant digits. */
    private static int width(String name) {
        return Math.max(name.length(), 9);
    }

    private String header() {
        StringBuilder h = new StringBuilder(String.format("%5s  %-8s %7s %10s", "trial", "status", "epochs", "objective"));
        for (String n : names) h.append("  ").append(String.format("%-" + width(n) + "s", n));
        return h.toString();
    }

    /** A trial: its status, epochs done (or the epoch it is in) of those it trains to, its objective and parameters. */
    private String row(Trial t, Integer epochNow) {
        String epochs = (t.status() == Trial.Status.RUNNING && epochNow != null ? Math.max(epochNow, t.epochs()) : t.epochs()) + "/" + t.until();
        StringBuilder r = new StringBuilder(String.format("%5d  %-8s %7s %10s", t.id(), t.status().word(), epochs,
                Double.isNaN(t.objective()) ? "-" : String.format("%.4f", t.objective())));
        for (String n : names) r.append("  ").append(String.format("%-" + width(n) + "s", t.params().get(n)));
        if (t.reason() != null) r.append("  (").append(t.reason()).append(')');
        return r.toString();
    }
}
