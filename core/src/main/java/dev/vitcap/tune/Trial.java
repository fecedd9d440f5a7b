package dev.vitcap.tune;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One trial of a search as its events tell it: the parameters it trains with, the epochs it has done
 * and is training to, its objective (the best validation value so far) after each stage, and where it
 * stands. A trial {@code stopped} at a stage may be promoted (resumed to more epochs) later.
 */
public final class Trial {
    /** Where a trial stands: the {@code status} of its last event in {@code trials.jsonl}. */
    public enum Status {
        RUNNING, DONE, FAILED, STOPPED;

        public String word() {
            return name().toLowerCase();
        }

        static Status of(String word) {
            for (Status s : values()) if (s.word().equals(word)) return s;
            throw new IllegalArgumentException("status must be running, done, failed or stopped, not '" + word + "'");
        }
    }

    final int id;
    final Map<String, Object> params;
    /** The hyperband bracket the trial belongs to; -1 for the other algorithms. */
    final int bracket;
    Status status = Status.RUNNING;
    int epochs, until;
    double objective = Double.NaN;
    /** The objective after each stage, by the epochs trained then. */
    final TreeMap<Integer, Double> byEpochs = new TreeMap<>();
    String reason;
    /** The objective at each stage's end, by search seconds: for the plot. */
    final TreeMap<Double, Double> overTime = new TreeMap<>();

    Trial(int id, Map<String, Object> params, int bracket) {
        this.id = id;
        this.params = new LinkedHashMap<>(params);
        this.bracket = bracket;
    }

    public int id() {
        return id;
    }

    public Map<String, Object> params() {
        return params;
    }

    public Status status() {
        return status;
    }

    /** Epochs trained so far (at the last stage's end). */
    public int epochs() {
        return epochs;
    }

    /** The epochs the running stage trains to (or the last one did). */
    public int until() {
        return until;
    }

    /** The best validation value of the objective so far; NaN before the first stage ends. */
    public double objective() {
        return objective;
    }

    /** Why the trial failed or was stopped early, or null. */
    public String reason() {
        return reason;
    }

    /** The folder of its checkpoints, log and output, under the search's {@code trials/}. */
    public String folder() {
        return Integer.toString(id);
    }

    /** A stage's end ({@code elapsed} search seconds in) adds its objective to the trial's history. */
    void noteStage(double elapsed) {
        if (status == Status.RUNNING || Double.isNaN(objective)) return;
        byEpochs.put(epochs, objective);
        overTime.put(elapsed, objective);
    }

    /** A stopped trial waiting at {@code epochs}, that a promotion could resume. */
    boolean pausedAt(int stageEpochs) {
        return status == Status.STOPPED && reason == null && epochs == stageEpochs;
    }
}
