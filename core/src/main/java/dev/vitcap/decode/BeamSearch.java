package dev.vitcap.decode;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Batched beam search: every image keeps {@code width} hypotheses, all advanced in one decoder step
 * per word. A hypothesis that emits {@code <end>} leaves the beam for the image's finished list (so
 * the beam stays full of live ones); an image is done when it has {@code width} finished hypotheses
 * and no live one can still beat the worst of them.
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

    public static Result[] decode(Captioner model, Tensor images, int batch, BeamOptions o) {
        Kernels k = model.kernels;
        int width = o.width(), rows = batch * width, vocab = model.config.decoder().vocab();
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
        float[] logProbs = new float[rows * vocab];
        try (Arena a = new Arena(k)) {
            Tensor enc = model.encoder.forward(a, images, batch).out;
            Decoder.State state;
            try (Decoder.State single = model.decoder.start(a, enc, batch, model.tokens())) {
                state = a.keep(model.decoder.expand(a, single, width));
            }
            Tensor ids = a.i32(rows), sources = a.i32(rows);
            for (int t = 0; t < o.maxSteps(); t++) {
                k.writeInts(ids, current);
                try (Arena step = new Arena(k)) {
                    Tensor logits = model.decoder.step(step, state, ids);
                    k.logSoftmax(logits, logits, rows, vocab);
                    k.read(logits, logProbs);
                }
                int[] source = new int[rows];
                double[] nextScore = new double[rows];
                int[] next = new int[rows];
                boolean allDone = true;
                for (int b = 0; b < batch; b++) {
                    advance(b, t, o, vocab, score, words, length, logProbs, finished.get(b), source, nextScore, next, done);
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

    /** Chooses image b's next beam from its live hypotheses' continuations; writes source rows, scores and words. */
    private static void advance(int b, int t, BeamOptions o, int vocab, double[] score, int[][] words, int[] length, float[] logProbs,
                                List<Finished> finished, int[] source, double[] nextScore, int[] next, boolean[] done) {
        int width = o.width(), base = b * width;
        // The best 2·width continuations: at most width of them can be <end>, so width live ones remain.
        PriorityQueue<Candidate> best = new PriorityQueue<>((x, y) -> Double.compare(x.score(), y.score()));
        int keep = 2 * width;
        if (!done[b]) {
            for (int h = 0; h < width; h++) {
                int r = base + h;
                if (score[r] == Double.NEGATIVE_INFINITY) continue;
                int[] blocked = o.blockTrigrams() ? blockedWords(words[r], length[r]) : new int[0];
                for (int w = 0; w < vocab; w++) {
                    if (w == o.end() && length[r] < o.minLength()) continue;
                    double s = score[r] + logProbs[r * vocab + w];
                    if (best.size() == keep && s <= best.peek().score()) continue;
                    if (blocked.length > 0 && contains(blocked, w)) continue;
                    best.add(new Candidate(h, w, s));
                    if (best.size() > keep) best.poll();
                }
            }
        }
        List<Candidate> ranked = new ArrayList<>(best);
        ranked.sort((x, y) -> Double.compare(y.score(), x.score()));
        int filled = 0;
        for (Candidate c : ranked) {
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
        done[b] = done[b] || filled == 0 || nextScore[base] == Double.NEGATIVE_INFINITY || cannotImprove(o, finished, nextScore[base], t + 1);
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
