package dev.vitcap.decode;

import dev.vitcap.data.CaptionData;
import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.PassOptions;
import dev.vitcap.model.VitConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Captions for images already on the backend, by the method {@link DecodeOptions} names: greedy, beam
 * search or sampling. Every method stops an image at {@code <end>} and after the options' (or the
 * model's) length limit; token ids {@code start}/{@code end} are the vocabulary's ({@code end < 0}: never
 * stop early, as the benchmarks count steps).
 */
public final class Decoding {
    private Decoding() {
    }

    /** One caption for each of {@code batch} images. */
    public static Decoded[] run(Captioner model, Tensor images, int batch, DecodeOptions o, int start, int end) {
        int steps = o.steps(model.config.maxLength());
        if (o.sample()) return Sampler.decode(model, images, batch, steps, start, end, o);
        if (o.plainGreedy()) return Greedy.decode(model, images, batch, steps, start, end);
        return BeamSearch.decode(model, images, batch, steps, start, end, o);
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
     * {@code <end>}. Null for a decoder without attention (show-and-tell).
     */
    public static float[][][] attention(Captioner model, Tensor images, int[][] words, int start, int end) {
        Kernels k = model.kernels;
        int batch = words.length, longest = 0;
        for (int[] w : words) longest = Math.max(longest, w.length);
        int[][] captions = new int[batch][longest + 2];
        for (int b = 0; b < batch; b++) {
            Arrays.fill(captions[b], Math.max(end, 0));
            captions[b][0] = start;
            System.arraycopy(words[b], 0, captions[b], 1, words[b].length);
        }
        try (Arena a = new Arena(k)) {
            var pass = model.forward(a, images, CaptionBatch.of(a, captions, -1), new PassOptions(false, 0, 0f, 0f));
            Tensor att = pass.decoded().attention();
            if (att == null) return null;
            float[] flat = k.download(att); // [step][image][token]
            int tokens = model.tokens();
            float[][][] out = new float[batch][][];
            for (int b = 0; b < batch; b++) {
                out[b] = new float[words[b].length + 1][];
                for (int t = 0; t <= words[b].length; t++) {
                    int at = (t * batch + b) * tokens;
                    out[b][t] = Arrays.copyOfRange(flat, at, at + tokens);
                }
            }
            return out;
        }
    }
}
