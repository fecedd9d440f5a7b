package dev.vitcap.decode;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;
import dev.vitcap.model.PassOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Bidirectional rescoring ({@link DecodeOptions#rescore}) for a model trained in both directions. Each
 * image's candidates are the distinct captions its left-to-right and right-to-left beams finished with
 * (every one, the right-to-left ones turned into reading order); both decoders score each candidate
 * teacher-forced, as the log-probability of its words and its {@code <end>} divided by their number, and
 * the best by {@code (1 − α)·l2r + α·r2l} is the caption, the next ones its alternatives. A caption's
 * word log-probabilities are the left-to-right decoder's.
 */
final class Rescoring {
    private Rescoring() {
    }

    /** A caption of one image, in reading order, and whether a beam ended it (rather than the length limit). */
    private record Candidate(int image, int[] words, boolean ended) {
    }

    static Decoded[] decode(Captioner model, Tensor images, int batch, int steps, int start, int end, DecodeOptions o) {
        Decoder l2r = model.leftToRight(), r2l = model.rightToLeft();
        if (l2r == null || r2l == null) throw new IllegalArgumentException(Decoding.refusal(model.config, o, "this model"));
        try (Arena a = new Arena(model.kernels)) {
            Tensor enc = model.encoder.forward(a, images, batch).out;
            List<Candidate> candidates = new ArrayList<>();
            add(candidates, BeamSearch.decode(model, l2r, enc, batch, steps, start, end, o, Integer.MAX_VALUE), false);
            add(candidates, BeamSearch.decode(model, r2l, enc, batch, steps, start, end, o, Integer.MAX_VALUE), true);
            float[][] forward = logProbs(model, l2r, a, enc, candidates, false, start, end);
            float[][] backward = logProbs(model, r2l, a, enc, candidates, true, start, end);
            List<List<Decoded>> byImage = new ArrayList<>();
            for (int b = 0; b < batch; b++) byImage.add(new ArrayList<>());
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                double l2rLogProb = sum(forward[i]), tokens = c.words().length + 1;
                double score = (1 - o.rescore()) * l2rLogProb / tokens + o.rescore() * sum(backward[i]) / tokens;
                byImage.get(c.image()).add(new Decoded(c.words(), Arrays.copyOf(forward[i], c.words().length), l2rLogProb, score, c.ended(), List.of()));
            }
            Decoded[] out = new Decoded[batch];
            for (int b = 0; b < batch; b++) {
                List<Decoded> ranked = byImage.get(b);
                ranked.sort(Comparator.comparingDouble(Decoded::score).reversed());
                Decoded best = ranked.get(0);
                out[b] = new Decoded(best.words(), best.logProbs(), best.logProb(), best.score(), best.ended(),
                        List.copyOf(ranked.subList(1, 1 + Math.min(ranked.size() - 1, o.alternatives()))));
            }
            return out;
        }
    }

    /** Adds each image's captions not already among its candidates; a right-to-left beam's are turned into reading order first. */
    private static void add(List<Candidate> candidates, Decoded[] beams, boolean reversed) {
        for (int b = 0; b < beams.length; b++) {
            List<Decoded> all = new ArrayList<>(List.of(beams[b]));
            all.addAll(beams[b].alternatives());
            for (Decoded d : all) {
                int[] words = reversed ? Decoding.reversed(d.words()) : d.words();
                int image = b;
                if (candidates.stream().noneMatch(c -> c.image() == image && Arrays.equals(c.words(), words))) {
                    candidates.add(new Candidate(image, words, d.ended()));
                }
            }
        }
    }

    /**
     * Each candidate's token log-probabilities under {@code decoder}, teacher-forced: its words (reversed for
     * a right-to-left decoder) then {@code <end>}, in the order the decoder reads them. One pass for all
     * candidates, each reading its image's row of {@code enc}.
     */
    private static float[][] logProbs(Captioner model, Decoder decoder, Arena a, Tensor enc, List<Candidate> candidates,
                                      boolean reversed, int start, int end) {
        Kernels k = model.kernels;
        int n = candidates.size(), tokens = model.tokens(), dim = model.config.encoder().dim(), vocab = model.config.decoder().vocab();
        int[][] captions = Decoding.teacherForced(candidates.stream().map(c -> reversed ? Decoding.reversed(c.words()) : c.words()).toList(), start, end);
        int[] image = candidates.stream().mapToInt(Candidate::image).toArray();
        Tensor rows = a.f32(n, tokens, dim);
        k.gatherRows(n, tokens * dim, enc, a.keep(k.uploadInts(image, n)), rows);
        CaptionBatch batch = CaptionBatch.of(a, captions, -1);
        Decoder.Pass pass = decoder.forward(a, rows, tokens, batch, new PassOptions(false, 0, 0f, 0f));
        int steps = batch.steps();
        Tensor losses = a.f32(steps * n);
        k.crossEntropy(pass.logits(), batch.targets(), steps * n, vocab, -1, 0f, losses, null, 0f);
        float[] loss = k.download(losses); // time-major: step t of candidate i at t·n + i
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new float[candidates.get(i).words().length + 1];
            for (int t = 0; t < out[i].length; t++) out[i][t] = -loss[t * n + i];
        }
        return out;
    }

    private static double sum(float[] xs) {
        double s = 0;
        for (float x : xs) s += x;
        return s;
    }
}
