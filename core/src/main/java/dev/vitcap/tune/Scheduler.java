package dev.vitcap.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * What a search runs next, decided from its trials alone (what {@code trials.jsonl} holds), so a
 * search read back after a kill decides as it would have. Epochs are the resource: a trial trains in
 * stages ending at the rungs (1, 3, 9, … epochs, the last being the recipe's epochs), paused in
 * between with the whole run's learning-rate schedule, and a promotion resumes its checkpoint.
 */
abstract class Scheduler {
    /** Each rung keeps the best third of the trials that reached it (hyperband's and ASHA's {@code η = 3}). */
    static final int ETA = 3;

    /** A stage to run: a new trial ({@code resume} null) with {@code params}, or a trial resumed; trained until {@code until} epochs. */
    record Stage(Trial resume, Map<String, Object> params, int bracket, int until) {
    }

    /** Parameters for a new trial: drawn at random, or proposed from the trials so far. */
    interface Sampler {
        Map<String, Object> params(int id, List<Trial> trials);
    }

    final int maxTrials, maxEpochs;
    final int[] rungs;
    final Sampler sampler;

    Scheduler(int maxTrials, int maxEpochs, Sampler sampler) {
        this.maxTrials = maxTrials;
        this.maxEpochs = maxEpochs;
        this.rungs = rungs(maxEpochs);
        this.sampler = sampler;
    }

    /** The next stage, or null when none can start until a running trial ends (or ever). */
    abstract Stage next(List<Trial> trials);

    Stage fresh(List<Trial> trials, int bracket, int until) {
        return new Stage(null, sampler.params(trials.size() + 1, trials), bracket, until);
    }

    /** The epochs a stage may end at: R·η^−k rounded, for k down to 0, from 1 epoch up to {@code maxEpochs} = R. */
    static int[] rungs(int maxEpochs) {
        int levels = 1;
        for (long p = ETA; p <= maxEpochs; p *= ETA) levels++;
        List<Integer> r = new ArrayList<>();
        for (int k = levels - 1; k >= 0; k--) {
            int e = (int) Math.max(1, Math.round(maxEpochs / Math.pow(ETA, k)));
            if (r.isEmpty() || e > r.get(r.size() - 1)) r.add(e);
        }
        return r.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The best {@code count} of {@code trials} by their objective after {@code epochs} epochs. */
    static List<Trial> best(List<Trial> trials, int epochs, int count) {
        return trials.stream().filter(t -> t.byEpochs.containsKey(epochs))
                .sorted(Comparator.comparingDouble((Trial t) -> -t.byEpochs.get(epochs)).thenComparingInt(t -> t.id))
                .limit(count).toList();
    }

    /** Random search, or Bayesian optimisation when the sampler proposes: each trial trains all its epochs in one stage. */
    static final class Whole extends Scheduler {
        Whole(int maxTrials, int maxEpochs, Sampler sampler) {
            super(maxTrials, maxEpochs, sampler);
        }

        @Override
        Stage next(List<Trial> trials) {
            return trials.size() < maxTrials ? fresh(trials, -1, maxEpochs) : null;
        }
    }

    /**
     * Asynchronous successive halving (Li et al., 2020): a free worker promotes a trial paused at a rung
     * if it is in the best third of those that reached that rung (the highest rung first), else starts
     * a new trial at the first rung. No worker waits for a rung to fill.
     */
    static final class Asha extends Scheduler {
        Asha(int maxTrials, int maxEpochs, Sampler sampler) {
            super(maxTrials, maxEpochs, sampler);
        }

        @Override
        Stage next(List<Trial> trials) {
            for (int k = rungs.length - 2; k >= 0; k--) {
                int epochs = rungs[k];
                long reached = trials.stream().filter(t -> t.byEpochs.containsKey(epochs)).count();
                for (Trial t : best(trials, epochs, (int) (reached / ETA))) {
                    if (t.pausedAt(epochs)) return new Stage(t, t.params, t.bracket, rungs[k + 1]);
                }
            }
            return trials.size() < maxTrials ? fresh(trials, -1, rungs[0]) : null;
        }
    }

    /**
     * Hyperband (Li et al., 2018): brackets of successive halving, from many trials starting at one
     * epoch to a few trained in full. Within a bracket a rung is complete before its best third is
     * promoted; free workers meanwhile start the next bracket's trials.
     */
    static final class Hyperband extends Scheduler {
        Hyperband(int maxTrials, int maxEpochs, Sampler sampler) {
            super(maxTrials, maxEpochs, sampler);
        }

        /** The rung a bracket's trials start at: bracket 0 at the first, the last of an iteration at the top. */
        int firstRung(int bracket) {
            return bracket % rungs.length;
        }

        /** Trials a bracket starts: ⌈(s_max + 1) / (s + 1) · η^s⌉ (Li et al., 2018), with s the rungs it climbs. */
        int size(int bracket) {
            int s = rungs.length - 1 - firstRung(bracket);
            return (int) Math.ceil((double) rungs.length / (s + 1) * Math.pow(ETA, s));
        }

        @Override
        Stage next(List<Trial> trials) {
            int brackets = trials.stream().mapToInt(t -> t.bracket + 1).max().orElse(0);
            for (int b = 0; b < brackets; b++) {
                int bracket = b;
                List<Trial> members = trials.stream().filter(t -> t.bracket == bracket).toList();
                boolean filled = members.size() == size(b) || trials.size() >= maxTrials || b < brackets - 1;
                if (!filled) continue;
                for (int k = firstRung(b); k < rungs.length - 1; k++) {
                    int epochs = rungs[k];
                    List<Trial> entered = members.stream().filter(t -> t.until >= epochs).toList();
                    if (entered.stream().anyMatch(t -> t.status == Trial.Status.RUNNING && t.until == epochs)) break; // the rung is not complete
                    int keep = Math.max(1, members.size() / (int) Math.pow(ETA, k - firstRung(b) + 1));
                    for (Trial t : best(entered, epochs, keep)) {
                        if (t.pausedAt(epochs)) return new Stage(t, t.params, t.bracket, rungs[k + 1]);
                    }
                }
            }
            if (trials.size() >= maxTrials) return null;
            int last = brackets - 1;
            boolean lastOpen = last >= 0 && trials.stream().filter(t -> t.bracket == last).count() < size(last);
            int bracket = lastOpen ? last : brackets;
            return fresh(trials, bracket, rungs[firstRung(bracket)]);
        }
    }

    /** Draws every parameter at random, from a generator seeded by the search's seed and the trial's id. */
    static Sampler random(Space space, long seed) {
        return (id, trials) -> space.sample(generator(seed, id));
    }

    /**
     * A generator of its own for each trial. The seeds are mixed first: {@link Random}'s first draws
     * from neighbouring seeds are nearly equal, which made the first trials' learning rates alike.
     */
    static Random generator(long seed, int id) {
        return new Random(new SplittableRandom(seed * 1_000_003L + id).nextLong());
    }

    /**
     * Bayesian optimisation: the first trials at random, then the point of the space with the largest
     * expected improvement under a Gaussian process fitted to the finished trials' objectives (running
     * trials stand in at the mean, so parallel workers do not propose the same point).
     */
    static Sampler bayes(Space space, long seed, int randomFirst) {
        Sampler random = random(space, seed);
        return (id, trials) -> {
            List<double[]> xs = new ArrayList<>(), pending = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Trial t : trials) {
                if (!Double.isNaN(t.objective) && t.status != Trial.Status.RUNNING) {
                    xs.add(space.toUnit(t.params));
                    ys.add(t.objective);
                } else if (t.status == Trial.Status.RUNNING) {
                    pending.add(space.toUnit(t.params));
                }
            }
            if (id <= randomFirst || xs.size() < 2) return random.params(id, trials);
            double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
            return space.fromUnit(BayesianSearch.propose(xs, y, pending, space.dimensions(), generator(seed, id)));
        };
    }
}
