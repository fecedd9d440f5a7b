package dev.vitcap.decode;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Batched beam search: every image keeps {@code width} hypotheses, all advanced in one decoder step
 * per word. Each step the backend ranks every hypothesis's continuations ({@link Kernels#topK}) and
 * only those few come back to the host, which joins them with the hypotheses' scores. A hypothesis
 * that emits {@code <end>} leaves the beam for the image's finished list (so the beam stays full of live
 * ones); an image is done when it has {@code width} finished hypotheses and no live one can still beat
 * the worst of them.
 */
final class BeamSearch {
    private BeamSearch() {
    }

    /** What one search runs with: the options, the length limit in steps, and the {@code <start>}/{@code <end>} ids. */
    private record Limits(DecodeOptions o, int steps, int start, int end) {
    }

    /** A hypothesis that left the beam: by {@code <end>} ({@code ended}) or at the length limit. */
    private record Finished(int[] words, float[] logProbs, double logProb, double score, boolean ended) {
        Decoded decoded(List<Decoded> alternatives) {
            return new Decoded(words, logProbs, logProb, score, ended, alternatives);
        }
    }

    private record Candidate(int hyp, int word, float logProb, double score) {
    }

    /** The live hypotheses of every image: rows {@code b·width … b·width + width − 1} are image b's. */
    private static final class Hypotheses {
        final double[] score;
        final int[][] words;
        final float[][] logProbs;
        final int[] length;

        /** Room for {@code rows} hypotheses; their words are set by {@link #start} or copied in by {@link #next}. */
        private Hypotheses(int rows) {
            score = new double[rows];
            words = new int[rows][];
            logProbs = new float[rows][];
            length = new int[rows];
        }

        /** The beams before the first word: empty hypotheses of up to {@code steps} words. */
        static Hypotheses start(int rows, int steps) {
            Hypotheses h = new Hypotheses(rows);
            for (int r = 0; r < rows; r++) {
                h.words[r] = new int[steps];
                h.logProbs[r] = new float[steps];
            }
            return h;
        }

        /** The next beams: row r continues row {@code source[r]} of these with {@code word[r]}, unless its score is −∞. */
        Hypotheses next(int[] source, double[] score, int[] word, float[] logProb) {
            Hypotheses n = new Hypotheses(score.length);
            System.arraycopy(score, 0, n.score, 0, score.length);
            for (int r = 0; r < score.length; r++) {
                n.words[r] = words[source[r]].clone();
                n.logProbs[r] = logProbs[source[r]].clone();
                n.length[r] = length[source[r]];
                if (score[r] != Double.NEGATIVE_INFINITY) {
                    n.logProbs[r][n.length[r]] = logProb[r];
                    n.words[r][n.length[r]++] = word[r];
                }
            }
            return n;
        }

        Finished finish(int r, double logProb, Limits l, boolean ended) {
            return new Finished(Arrays.copyOf(words[r], length[r]), Arrays.copyOf(logProbs[r], length[r]), logProb,
                    l.o().normalise(logProb, length[r]), ended);
        }
    }

    /**
     * How many continuations of each hypothesis to read back: enough that after dropping an {@code <end>}
     * and blocked words, the image still has {@code width} live candidates in the usual case. When a
     * step blocks more than that, the beam runs narrower for that step.
     */
    static int perHypothesis(DecodeOptions o) {
        int slack = o.blockTrigrams() || o.minWords() > 0 ? 4 : 0;
        return Math.min(Kernels.TOP_K_MAX, o.beam() + 1 + slack);
    }

    /**
     * Up to {@code steps} words per image after {@code start}; {@code end < 0} means hypotheses never end
     * (every one runs {@code steps} words, as the benchmark counts beam search). Every image gets a
     * caption: when no hypothesis has ended by the length limit, the best unfinished one.
     */
    static Decoded[] decode(Captioner model, Tensor images, int batch, int steps, int start, int end, DecodeOptions o) {
        try (Arena a = new Arena(model.kernels)) {
            return decode(model, model.decoder, model.encoder.forward(a, images, batch).out, batch, steps, start, end, o, o.alternatives());
        }
    }

    /**
     * The search by one of the model's decoders over encoded images {@code enc}, each image's best caption
     * coming with up to {@code alternatives} other distinct ones it finished with.
     */
    static Decoded[] decode(Captioner model, Decoder decoder, Tensor enc, int batch, int steps, int start, int end, DecodeOptions o, int alternatives) {
        Kernels k = model.kernels;
        Limits limits = new Limits(o, steps, start, end);
        int width = o.beam(), rows = batch * width, vocab = model.config.decoder().vocab();
        int kk = Math.min(perHypothesis(o), vocab);
        Hypotheses live = Hypotheses.start(rows, steps);
        List<List<Finished>> finished = new ArrayList<>();
        boolean[] done = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            finished.add(new ArrayList<>());
            for (int h = 1; h < width; h++) live.score[b * width + h] = Double.NEGATIVE_INFINITY; // one live start per image
        }
        int[] current = new int[rows];
        Arrays.fill(current, start);
        float[] topValues = new float[rows * kk];
        int[] topWords = new int[rows * kk];
        try (Arena a = new Arena(k)) {
            Decoder.State state;
            try (Decoder.State single = decoder.start(a, enc, batch, model.tokens())) {
                state = a.keep(decoder.expand(a, single, width));
            }
            Tensor sources = a.i32(rows), values = a.f32(rows, kk), indices = a.i32(rows, kk);
            for (int t = 0; t < steps; t++) {
                try (Arena step = new Arena(k)) {
                    Tensor logits = decoder.step(step, state, current);
                    k.logSoftmax(logits, logits, rows, vocab);
                    k.topK(logits, rows, vocab, kk, values, indices);
                }
                k.read(values, topValues);
                k.readInts(indices, topWords);
                int[] source = new int[rows], nextWord = new int[rows];
                double[] nextScore = new double[rows];
                float[] nextLogProb = new float[rows];
                boolean allDone = true;
                for (int b = 0; b < batch; b++) {
                    advance(b, t, limits, kk, live, topValues, topWords, finished.get(b), source, nextScore, nextWord, nextLogProb, done);
                    allDone &= done[b];
                }
                live = live.next(source, nextScore, nextWord, nextLogProb);
                current = nextWord;
                if (allDone) break;
                k.writeInts(sources, source);
                decoder.reorder(state, sources);
            }
        }
        Decoded[] results = new Decoded[batch];
        for (int b = 0; b < batch; b++) {
            List<Finished> f = finished.get(b);
            for (int h = 0; h < width; h++) {
                int r = b * width + h;
                if (live.score[r] != Double.NEGATIVE_INFINITY) f.add(live.finish(r, live.score[r], limits, false));
            }
            results[b] = ranked(f, alternatives);
        }
        return results;
    }

    /** The best caption of an image, with its next {@code alternatives} distinct captions. */
    private static Decoded ranked(List<Finished> finished, int alternatives) {
        List<Finished> order = new ArrayList<>(finished);
        order.sort(Comparator.comparingDouble(Finished::score).reversed());
        List<Finished> distinct = new ArrayList<>();
        for (Finished f : order) {
            if (distinct.stream().noneMatch(d -> Arrays.equals(d.words(), f.words()))) distinct.add(f);
        }
        if (distinct.isEmpty()) return new Decoded(new int[0], new float[0], Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, false, List.of());
        List<Decoded> others = distinct.subList(1, 1 + Math.min(distinct.size() - 1, alternatives)).stream().map(f -> f.decoded(List.of())).toList();
        return distinct.get(0).decoded(others);
    }

    /**
     * Chooses image b's next beam from its live hypotheses' best continuations ({@code kk} each, from
     * topK); writes the source rows, scores, words and their log-probabilities of the new beam.
     */
    private static void advance(int b, int t, Limits l, int kk, Hypotheses live, float[] topValues, int[] topWords,
                                List<Finished> finished, int[] source, double[] nextScore, int[] next, float[] nextLogProb, boolean[] done) {
        DecodeOptions o = l.o();
        int width = o.beam(), base = b * width;
        List<Candidate> ranked = new ArrayList<>();
        if (!done[b]) {
            for (int h = 0; h < width; h++) {
                int r = base + h;
                if (live.score[r] == Double.NEGATIVE_INFINITY) continue;
                int[] blocked = o.blockTrigrams() ? blockedWords(live.words[r], live.length[r]) : new int[0];
                for (int j = 0; j < kk; j++) {
                    int w = topWords[r * kk + j];
                    if (w == l.end() && live.length[r] < o.minWords()) continue;
                    if (blocked.length > 0 && contains(blocked, w)) continue;
                    float lp = topValues[r * kk + j];
                    ranked.add(new Candidate(h, w, lp, live.score[r] + lp));
                }
            }
        }
        ranked.sort((x, y) -> Double.compare(y.score(), x.score()));
        int filled = 0;
        // The best 2·width: at most width of them can be <end>, so width live ones remain.
        for (Candidate c : ranked.subList(0, Math.min(ranked.size(), 2 * width))) {
            int r = base + c.hyp();
            if (c.word() == l.end()) {
                finished.add(live.finish(r, c.score(), l, true));
            } else if (filled < width) {
                source[base + filled] = r;
                nextScore[base + filled] = c.score();
                next[base + filled] = c.word();
                nextLogProb[base + filled] = c.logProb();
                filled++;
            }
        }
        for (; filled < width; filled++) {
            source[base + filled] = base;
            nextScore[base + filled] = Double.NEGATIVE_INFINITY;
            next[base + filled] = Math.max(0, l.start());
        }
        done[b] = done[b] || nextScore[base] == Double.NEGATIVE_INFINITY || cannotImprove(l, finished, nextScore[base], t + 1);
    }

    /** True when the image has a full list of finished hypotheses that its best live one can no longer beat. */
    private static boolean cannotImprove(Limits l, List<Finished> finished, double bestLive, int liveLength) {
        DecodeOptions o = l.o();
        if (l.end() < 0 || finished.size() < o.beam()) return false;
        double worstKept = finished.stream().mapToDouble(Finished::score).sorted().skip(finished.size() - o.beam()).min().orElse(Double.NEGATIVE_INFINITY);
        // Log-probabilities only fall as words are added; with a length penalty the most favourable length is the longest.
        double bestPossible = o.lengthPenalty() > 0 ? o.normalise(bestLive, l.steps()) : o.normalise(bestLive, liveLength);
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
