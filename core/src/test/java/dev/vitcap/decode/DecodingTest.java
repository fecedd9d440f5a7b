package dev.vitcap.decode;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.PassOptions;
import dev.vitcap.model.VitConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Greedy, beam search and sampling on a small random model, checked against the model's own sequence probabilities. */
class DecodingTest {
    static final int VOCAB = 9, STEPS = 5;
    final Kernels k = new ReferenceKernels();

    Captioner model(DecoderConfig.Kind kind) {
        VitConfig vit = new VitConfig(8, 8, 4, 3, 8, 1, 2, 16, true, true, 1e-6f, VitConfig.HALF, VitConfig.HALF);
        return new Captioner(k, new ModelConfig(vit, new DecoderConfig(kind, VOCAB, 5, 6, 4, 2, 3, 0f), STEPS + 1), 3);
    }

    Tensor images(int batch) {
        Random rng = new Random(5);
        float[] x = new float[batch * 3 * 8 * 8];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian() * 2;
        return k.upload(x, batch, 3, 8, 8);
    }

    /** The model's log-probability of each image's words after token 0, by a teacher-forced pass. */
    double logProb(Captioner m, Tensor img, int image, int[] words) {
        int[] caption = new int[words.length + 1];
        System.arraycopy(words, 0, caption, 1, words.length);
        int batch = img.shape()[0];
        int[][] captions = new int[batch][];
        for (int b = 0; b < batch; b++) captions[b] = b == image ? caption : new int[caption.length];
        try (Arena a = new Arena(k)) {
            var pass = m.forward(a, img, CaptionBatch.of(a, captions, -1), new PassOptions(false, 0, 0f, 0f));
            Tensor lp = a.f32(words.length * batch, VOCAB);
            k.logSoftmax(pass.decoded().logits(), lp, words.length * batch, VOCAB);
            float[] host = k.download(lp);
            double sum = 0;
            for (int t = 0; t < words.length; t++) sum += host[(t * batch + image) * VOCAB + words[t]];
            return sum;
        }
    }

    @ParameterizedTest
    @EnumSource(DecoderConfig.Kind.class)
    void beamOfOneIsGreedyAndWiderBeamsFindLikelierCaptions(DecoderConfig.Kind kind) {
        try (Captioner m = model(kind); Tensor img = images(3)) {
            int[][] greedy = Greedy.decode(m, img, 3, STEPS, 0, -1);
            BeamSearch.Result[] one = BeamSearch.decode(m, img, 3, new BeamOptions(1, STEPS, 0, 0f, false, 0, -1));
            BeamSearch.Result[] four = BeamSearch.decode(m, img, 3, new BeamOptions(4, STEPS, 0, 0f, false, 0, -1));
            for (int b = 0; b < 3; b++) {
                assertArrayEquals(greedy[b], one[b].words());
                assertEquals(STEPS, four[b].words().length);
                double g = logProb(m, img, b, greedy[b]), w = logProb(m, img, b, four[b].words());
                assertEquals(w, four[b].score(), 1e-4, "the beam's score is the caption's log-probability");
                assertTrue(w >= g - 1e-5, "beam 4 found " + w + ", greedy " + g);
            }
        }
    }

    @Test
    void endStopsCaptionsAndConstraintsHold() {
        try (Captioner m = model(DecoderConfig.Kind.ATTENTION); Tensor img = images(2)) {
            for (int end = 1; end < VOCAB; end++) {
                BeamSearch.Result[] r = BeamSearch.decode(m, img, 2, new BeamOptions(3, STEPS, 2, 0.5f, true, 0, end));
                for (BeamSearch.Result x : r) {
                    assertTrue(x.words().length >= 2 && x.words().length <= STEPS, "min and max length");
                    for (int w : x.words()) assertTrue(w != end, "<end> is not part of the caption");
                    for (int i = 0; i + 3 < x.words().length; i++)
                        for (int j = i + 1; j + 2 < x.words().length; j++)
                            assertTrue(x.words()[i] != x.words()[j] || x.words()[i + 1] != x.words()[j + 1] || x.words()[i + 2] != x.words()[j + 2], "no repeated trigram");
                }
                int[][] g = Greedy.decode(m, img, 2, STEPS, 0, end);
                for (int[] words : g) for (int w : words) assertTrue(w != end);
            }
        }
    }

    @Test
    void samplingRespectsTopKAndIsSeeded() {
        float[] logits = {0f, 3f, 1f, 2.5f, -1f};
        Random rng = new Random(1);
        for (int i = 0; i < 200; i++) {
            int w = Sampler.draw(logits, 0, 5, 1f, 2, 1f, rng);
            assertTrue(w == 1 || w == 3, "top-2 keeps only the two likeliest");
            assertEquals(1, Sampler.draw(logits, 0, 5, 1f, 0, 0.01f, rng), "a tiny nucleus is the argmax");
        }
        try (Captioner m = model(DecoderConfig.Kind.ATTENTION); Tensor img = images(2)) {
            assertArrayEquals(Sampler.decode(m, img, 2, STEPS, 0, -1, 1.5f, 0, 0.9f, 7), Sampler.decode(m, img, 2, STEPS, 0, -1, 1.5f, 0, 0.9f, 7));
        }
    }
}
