package dev.vitcap.decode;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.train.CaptionData;

import java.util.ArrayList;
import java.util.List;

/**
 * How captions are produced: greedy ({@code beam = 1}), beam search, or sampling; every method stops
 * an image at {@code <end>} and after {@code maxSteps} words. Token ids {@code start}/{@code end} are
 * the vocabulary's.
 */
public record Decoding(int beam, int maxSteps, int minLength, float lengthPenalty, boolean blockTrigrams,
                       boolean sample, float temperature, int topK, float topP, long seed, int start, int end) {

    public static Decoding greedy(int maxSteps, int start, int end) {
        return new Decoding(1, maxSteps, 0, 0f, false, false, 1f, 0, 1f, 0, start, end);
    }

    public static Decoding beam(int width, int maxSteps, int start, int end) {
        return new Decoding(width, maxSteps, 0, 0f, false, false, 1f, 0, 1f, 0, start, end);
    }

    /** Words (without {@code <start>}/{@code <end>}) for each of {@code batch} images already on the backend. */
    public int[][] run(Captioner model, Tensor images, int batch) {
        if (sample) return Sampler.decode(model, images, batch, maxSteps, start, end, temperature, topK, topP, seed);
        if (beam <= 1 && minLength == 0 && !blockTrigrams) return Greedy.decode(model, images, batch, maxSteps, start, end);
        BeamSearch.Result[] r = BeamSearch.decode(model, images, batch, new BeamOptions(beam, maxSteps, minLength, lengthPenalty, blockTrigrams, start, end));
        int[][] words = new int[batch][];
        for (int b = 0; b < batch; b++) words[b] = r[b].words();
        return words;
    }

    /** Captions every image of {@code data}, {@code batchSize} at a time. */
    public List<int[]> all(Captioner model, CaptionData data, int batchSize) {
        Kernels k = model.kernels;
        var vit = model.config.encoder();
        int pixels = vit.channels() * vit.imageHeight() * vit.imageWidth();
        List<int[]> out = new ArrayList<>(data.size());
        for (int from = 0; from < data.size(); from += batchSize) {
            int n = Math.min(batchSize, data.size() - from);
            float[] images = new float[n * pixels];
            for (int i = 0; i < n; i++) data.image(from + i, images, i * pixels);
            try (Tensor img = k.upload(images, n, vit.channels(), vit.imageHeight(), vit.imageWidth())) {
                for (int[] words : run(model, img, n)) out.add(words);
            }
        }
        return out;
    }
}
