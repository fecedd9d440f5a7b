package dev.vitcap.decode;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched beam search: every image keeps {@code width} hypotheses, all advanced in one decoder step
 * per word. Each step the backend ranks every hypothesis's continuations ({@link Kernels#topK}) and
 * only those few come back to the host, which joins them with the hypotheses' scores. A hypothesis
 * that emits {@code <end>} leaves the beam for the image's finished list (so the beam stays full of live
 * ones); an image is done when it has {@code width} finished hypotheses and no live one can still beat
 * the worst of them.
 */
public final class BeamSearch {
    private BeamSearch() {
    }

    /** A decoded caption: its words (without {@code <start>}/{@code <end>}) and its length-normalised log-probability. */
    public record Result(int[] words, double score) {
    }

    private record Finished(int[] words, double score) {
    }

    private record Candidate(int hyp, int word, double score) {
    }

    /**
     * How many continuations of each hypothesis to read back: enough that after dropping an {@code <end>}
     * and blocked words, the image still has {@code width} live candidates in the usual case. When a
     * step blocks more than that, the beam runs narrower for that step.
     */
    static int perHypothesis(BeamOptions o) {
        int slack = o.blockTrigrams() || o.minLength() > 0 ? 4 : 0;
        return Math.min(Kernels.TOP_K_MAX, o.width() + 1 + slack);
    }

    public static Result[] decode(Captioner model, Tensor images, int batch, BeamOptions o) {
        Kernels k = model.kernels;
        int width = o.width(), rows = batch * width, vocab = model.config.decoder().vocab();
        int kk = Math.min(perHypothesis(o), vocab);
        if (width > Kernels.TOP_K_MAX) throw new IllegalArgumentException("beam width at most " + Kernels.TOP_K_MAX);
        double[] score = new double[rows];
        int[][] words = new int[rows][o.maxSteps()];
        int[] length = new int[rows];
        List<List<Finished>> finished = new ArrayList<>();
        boolean[] done = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            finished.add(new ArrayList<>());
            for (int h = 1; h < width; h++) score[b * width + h] = Double.NEGATIVE_INFINITY; // one live start per image
        }
        int[] current = new int[rows];
        Arrays.fill(current, o.start());
        float[] topValues = new float[rows * kk];
        int[] topWords = new int[rows * kk];
        try (Arena a = new Arena(k)) {
            Tensor enc = model.encoder.forward(a, images, batch).out;
            Decoder.State state;
            try (Decoder.State single = model.decoder.start(a, enc, batch, model.tokens())) {
                state = a.keep(model.decoder.expand(a, single, width));
            }
            Tensor ids = a.i32(rows), sources = a.i32(rows), values = a.f32(rows, kk), indices = a.i32(rows, kk);
            for (int t = 0; t < o.maxSteps(); t++) {
                k.writeInts(ids, current);
                try (Arena step = new Arena(k)) {
                    Tensor logits = model.decoder.step(step, state, ids);
                    k.logSoftmax(logits, logits, rows, vocab);
                    k.topK(logits, rows, vocab, kk, values, indices);
                }
                k.read(values, topValues);
                k.readInts(indices, topWords);
                int[] source = new int[rows];
                double[] nextScore = new double[rows];
                int[] next = new int[rows];
                boolean allDone = true;
                for (int b = 0; b < batch; b++) {
                    advance(b, t, o, kk, score, words, length, topValues, topWords, finished.get(b), source, nextScore, next, done);
                    allDone &= done[b];
                }
                int[][] nextWords = new int[rows][];
                int[] nextLength = new int[rows];
                for (int r = 0; r < rows; r++) {
                    nextWords[r] = words[source[r]].clone();
                    nextLength[r] = length[source[r]];
                    if (nextScore[r] != Double.NEGATIVE_INFINITY) nextWords[r][nextLength[r]++] = next[r];
                }
                words = nextWords;
                length = nextLength;
                score = nextScore;
                current = next;
                if (allDone) break;
                k.writeInts(sources, source);
                model.decoder.reorder(state, sources);
            }
        }
        Result[] results = new Result[batch];
        for (int b = 0; b < batch; b++) {
            List<Finished> f = finished.get(b);
            for (int h = 0; h < width; h++) {
                int r = b * width + h;
                if (score[r] != Double.NEGATIVE_INFINITY) f.add(new Finished(Arrays.copyOf(words[r], length[r]), o.normalise(score[r], length[r])));
            }
            Finished best = f.stream().max((x, y) -> Double.compare(x.score(), y.score())).orElse(new Finished(new int[0], Double.NEGATIVE_INFINITY));
            results[b] = new Result(best.words(), best.score());
        }
        return results;
    }

    /**
     * Chooses image b's next beam from its live hypotheses' best continuations ({@code kk} each, from
     * topK); writes the source rows, scores and words of the new beam.
     */
    private static void advance(int b, int t, BeamOptions o, int kk, double[] score, int[][] words, int[] length,
                                float[] topValues, int[] topWords, List<Finished> finished, int[] source, double[] nextScore,
                                int[] next, boolean[] done) {
        int width = o.width(), base = b * width;
        List<Candidate> ranked = new ArrayList<>();
        if (!done[b]) {
            for (int h = 0; h < width; h++) {
                int r = base + h;
                if (score[r] == Double.NEGATIVE_INFINITY) continue;
                int[] blocked = o.blockTrigrams() ? blockedWords(words[r], length[r]) : new int[0];
                for (int j = 0; j < kk; j++) {
                    int w = topWords[r * kk + j];
                    if (w == o.end() && length[r] < o.minLength()) continue;
                    if (blocked.length > 0 && contains(blocked, w)) continue;
                    ranked.add(new Candidate(h, w, score[r] + topValues[r * kk + j]));
                }
            }
        }
        ranked.sort((x, y) -> Double.compare(y.score(), x.score()));
        int filled = 0;
        // The best 2·width: at most width of them can be <end>, so width live ones remain.
        for (Candidate c : ranked.subList(0, Math.min(ranked.size(), 2 * width))) {
            int r = base + c.hyp();
            if (c.word() == o.end()) {
                finished.add(new Finished(Arrays.copyOf(words[r], length[r]), o.normalise(c.score(), length[r])));
            } else if (filled < width) {
                source[base + filled] = r;
                nextScore[base + filled] = c.score();
                next[base + filled] = c.word();
                filled++;
            }
        }
        for (; filled < width; filled++) {
            source[base + filled] = base;
            nextScore[base + filled] = Double.NEGATIVE_INFINITY;
            next[base + filled] = Math.max(0, o.start());
        }
        done[b] = done[b] || nextScore[base] == Double.NEGATIVE_INFINITY || cannotImprove(o, finished, nextScore[base], t + 1);
    }

    /** True when the image has a full list of finished hypotheses that its best live one can no longer beat. */
    private static boolean cannotImprove(BeamOptions o, List<Finished> finished, double bestLive, int liveLength) {
        if (o.end() < 0 || finished.size() < o.width()) return false;
        double worstKept = finished.stream().mapToDouble(Finished::score).sorted().skip(finished.size() - o.width()).min().orElse(Double.NEGATIVE_INFINITY);
        // Log-probabilities only fall as words are added; with a length penalty the most favourable length is the longest.
        double bestPossible = o.lengthPenalty() > 0 ? o.normalise(bestLive, o.maxSteps()) : o.normalise(bestLive, liveLength);
        return bestPossible <= worstKept;
    }

    /** Words that would complete a trigram already present in the hypothesis. */
    private static int[] blockedWords(int[] words, int length) {
        if (length < 2) return new int[0];
        int a = words[length - 2], b = words[length - 1];
        int[] out = new int[length];
        int n = 0;
        for (int i = 0; i + 2 < length; i++) if (words[i] == a && words[i + 1] == b) out[n++] = words[i + 2];
        return Arrays.copyOf(out, n);
    }

    private static boolean contains(int[] xs, int v) {
        for (int x : xs) if (x == v) return true;
        return false;
    }
}
