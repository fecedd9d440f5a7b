package dev.vitcap.decode;

import dev.vitcap.data.CaptionData;
import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Directions;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.PassOptions;
import dev.vitcap.model.VitConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Captions for images already on the backend, by the method {@link DecodeOptions} names: greedy, beam
 * search, sampling, or both directions' beams rescored. Every method stops an image at {@code <end>} and after the options' (or the
 * model's) length limit; token ids {@code start}/{@code end} are the vocabulary's ({@code end < 0}: never
 * stop early, as the benchmarks count steps).
 */
public final class Decoding {
    private Decoding() {
    }

    /**
     * One caption for each of {@code batch} images. A model trained right to left only decodes its
     * captions backwards, and they come back in reading order.
     */
    public static Decoded[] run(Captioner model, Tensor images, int batch, DecodeOptions o, int start, int end) {
        int steps = o.steps(model.config.maxLength());
        if (o.rescore() != null) return Rescoring.decode(model, images, batch, steps, start, end, o);
        Decoded[] out;
        if (o.sample()) out = Sampler.decode(model, images, batch, steps, start, end, o);
        else if (o.plainGreedy()) out = Greedy.decode(model, images, batch, steps, start, end);
        else out = BeamSearch.decode(model, images, batch, steps, start, end, o);
        return model.config.directions().leftToRight() ? out : Arrays.stream(out).map(Decoding::readingOrder).toArray(Decoded[]::new);
    }

    /**
     * Why a model of {@code config} cannot decode with {@code o}, in one line that calls the model
     * {@code name}; null when it can.
     */
    public static String refusal(ModelConfig config, DecodeOptions o, String name) {
        if (o.rescore() == null || config.directions() == Directions.BOTH) return null;
        return "--rescore needs a model trained with --directions both; " + name + " has " + config.directions().spelt() + " only";
    }

    /** A right-to-left decoder's caption in reading order: its words and their log-probabilities reversed, and its alternatives'. */
    private static Decoded readingOrder(Decoded d) {
        float[] logProbs = new float[d.logProbs().length];
        for (int i = 0; i < logProbs.length; i++) logProbs[i] = d.logProbs()[logProbs.length - 1 - i];
        return new Decoded(reversed(d.words()), logProbs, d.logProb(), d.score(), d.ended(),
                d.alternatives().stream().map(Decoding::readingOrder).toList());
    }

    /**
     * Captions to run teacher-forced: {@code <start>}, the words, then {@code fill} (the {@code <end>})
     * to the longest's length plus one.
     */
    public static int[][] teacherForced(List<int[]> words, int start, int fill) {
        int longest = words.stream().mapToInt(w -> w.length).max().orElse(0);
        int[][] captions = new int[words.size()][longest + 2];
        for (int i = 0; i < captions.length; i++) {
            Arrays.fill(captions[i], fill);
            captions[i][0] = start;
            System.arraycopy(words.get(i), 0, captions[i], 1, words.get(i).length);
        }
        return captions;
    }

    static int[] reversed(int[] words) {
        int[] out = new int[words.length];
        for (int i = 0; i < words.length; i++) out[i] = words[words.length - 1 - i];
        return out;
    }

    /** Captions drawn from the model's distribution, and the mean entropy of the distributions drawn from. */
    public record Samples(Decoded[] captions, double entropy) {
    }

    /**
     * One caption drawn from the model's distribution (temperature 1) for each row of the encoder's
     * tokens {@code enc [rows, tokens, dim]}, up to the model's caption length; the same {@code seed}
     * draws the same captions. Self-critical training samples with it.
     */
    public static Samples sample(Captioner model, Tensor enc, int rows, long seed, int start, int end) {
        return PolicySampler.decode(model, enc, rows, model.config.maxLength() - 1, start, end, seed);
    }

    /** Greedy captions, up to the model's caption length, from the encoder's tokens {@code enc [batch, tokens, dim]}. */
    public static Decoded[] greedy(Captioner model, Tensor enc, int batch, int start, int end) {
        return Greedy.decodeEncoded(model, enc, batch, model.config.maxLength() - 1, start, end);
    }

    /** Captions every image of {@code data}, {@code batchSize} at a time. */
    public static List<Decoded> all(Captioner model, CaptionData data, DecodeOptions o, int start, int end, int batchSize) {
        Kernels k = model.kernels;
        VitConfig vit = model.config.encoder();
        int pixels = vit.channels() * vit.imageHeight() * vit.imageWidth();
        List<Decoded> out = new ArrayList<>(data.size());
        for (int from = 0; from < data.size(); from += batchSize) {
            int n = Math.min(batchSize, data.size() - from);
            float[] images = new float[n * pixels];
            for (int i = 0; i < n; i++) data.image(from + i, images, i * pixels);
            try (Tensor img = k.upload(images, n, vit.channels(), vit.imageHeight(), vit.imageWidth())) {
                out.addAll(Arrays.asList(run(model, img, n, o, start, end)));
            }
        }
        return out;
    }

    /**
     * Where the attention decoder looked for each word: the captions are run through the decoder once
     * more, teacher-forced (the same computation as decoding them), and each step's attention over the
     * encoder's tokens is read back: {@code [image][step][token]}, one step per word and one for the
     * {@code <end>}, in reading order (a right-to-left decoder reads the words reversed, and its steps are
     * turned back). Null for a decoder without attention (show-and-tell).
     */
    public static float[][][] attention(Captioner model, Tensor images, int[][] words, int start, int end) {
        Kernels k = model.kernels;
        boolean backwards = !model.config.directions().leftToRight();
        int batch = words.length;
        int[][] captions = teacherForced(Arrays.stream(words).map(w -> backwards ? reversed(w) : w).toList(), start, Math.max(end, 0));
        try (Arena a = new Arena(k)) {
            Tensor enc = model.encoder.forward(a, images, batch).out;
            Tensor att = model.decoder.forward(a, enc, model.tokens(), CaptionBatch.of(a, captions, -1), new PassOptions(false, 0, 0f, 0f)).attention();
            if (att == null) return null;
            float[] flat = k.download(att); // [step][image][token]
            int tokens = model.tokens();
            float[][][] out = new float[batch][][];
            for (int b = 0; b < batch; b++) {
                int n = words[b].length;
                out[b] = new float[n + 1][];
                for (int t = 0; t <= n; t++) {
                    int step = backwards && t < n ? n - 1 - t : t;
                    int at = (step * batch + b) * tokens;
                    out[b][t] = Arrays.copyOfRange(flat, at, at + tokens);
                }
            }
            return out;
        }
    }
}
