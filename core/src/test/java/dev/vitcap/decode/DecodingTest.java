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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Greedy, beam search and sampling on a small random model, checked against the model's own sequence probabilities. */
class DecodingTest {
    static final int VOCAB = 9, STEPS = 5;
    final Kernels k = new ReferenceKernels();

    Captioner model(DecoderConfig.Kind kind) {
        VitConfig vit = VitConfig.builder().image(8).patch(4).dim(8).depth(1).heads(2).mlp(16).build();
        DecoderConfig decoder = DecoderConfig.builder(kind).vocab(VOCAB).emb(5).hidden(6).att(4).layers(2).fc(3).dropout(0f).build();
        return new Captioner(k, new ModelConfig(vit, decoder, STEPS + 1), 3);
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

    /** The log-probability the model gives each word, by a teacher-forced pass. */
    float[] wordLogProbs(Captioner m, Tensor img, int image, int[] words) {
        float[] out = new float[words.length];
        double before = 0;
        for (int t = 0; t < words.length; t++) {
            double upTo = logProb(m, img, image, java.util.Arrays.copyOf(words, t + 1));
            out[t] = (float) (upTo - before);
            before = upTo;
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DecoderConfig.Kind.class)
    void beamOfOneIsGreedyAndWiderBeamsFindLikelierCaptions(DecoderConfig.Kind kind) {
        try (Captioner m = model(kind); Tensor img = images(3)) {
            Decoded[] greedy = Decoding.run(m, img, 3, DecodeOptions.GREEDY, 0, -1);
            Decoded[] one = Decoding.run(m, img, 3, DecodeOptions.GREEDY.withMinWords(1), 0, -1); // not plain greedy: beam search of width 1
            Decoded[] four = Decoding.run(m, img, 3, DecodeOptions.beam(4).withAlternatives(3), 0, -1);
            for (int b = 0; b < 3; b++) {
                assertArrayEquals(greedy[b].words(), one[b].words());
                assertEquals(STEPS, four[b].words().length);
                double g = logProb(m, img, b, greedy[b].words()), w = logProb(m, img, b, four[b].words());
                assertEquals(w, four[b].score(), 1e-4, "the beam's score is the caption's log-probability");
                assertEquals(g, greedy[b].logProb(), 1e-4, "greedy reports its caption's log-probability");
                assertArrayEquals(wordLogProbs(m, img, b, greedy[b].words()), greedy[b].logProbs(), 1e-4f, "and each word's");
                assertArrayEquals(wordLogProbs(m, img, b, four[b].words()), four[b].logProbs(), 1e-4f, "beam search too");
                assertTrue(w >= g - 1e-5, "beam 4 found " + w + ", greedy " + g);
                assertEquals(3, four[b].alternatives().size(), "three alternatives asked for");
                double previous = four[b].score();
                for (Decoded alt : four[b].alternatives()) {
                    assertTrue(alt.score() <= previous + 1e-12, "alternatives come best first, after the caption");
                    assertEquals(logProb(m, img, b, alt.words()), alt.logProb(), 1e-4);
                    assertTrue(!java.util.Arrays.equals(alt.words(), four[b].words()), "an alternative differs from the caption");
                    previous = alt.score();
                }
            }
        }
    }

    @Test
    void endStopsCaptionsAndConstraintsHold() {
        try (Captioner m = model(DecoderConfig.Kind.ATTENTION); Tensor img = images(2)) {
            for (int end = 1; end < VOCAB; end++) {
                Decoded[] r = Decoding.run(m, img, 2, DecodeOptions.beam(3).withMinWords(2).withLengthPenalty(0.5f).withBlockTrigrams(true), 0, end);
                for (Decoded x : r) {
                    assertTrue(x.words().length >= 2 && x.words().length <= STEPS, "min and max length");
                    for (int w : x.words()) assertTrue(w != end, "<end> is not part of the caption");
                    for (int i = 0; i + 3 < x.words().length; i++)
                        for (int j = i + 1; j + 2 < x.words().length; j++)
                            assertTrue(x.words()[i] != x.words()[j] || x.words()[i + 1] != x.words()[j + 1] || x.words()[i + 2] != x.words()[j + 2], "no repeated trigram");
                }
                for (Decoded g : Decoding.run(m, img, 2, DecodeOptions.GREEDY, 0, end)) for (int w : g.words()) assertTrue(w != end);
            }
        }
    }

    @Test
    void beamSearchAlwaysReturnsACaptionAtTheLengthLimit() {
        try (Captioner m = model(DecoderConfig.Kind.ATTENTION); Tensor img = images(2)) {
            // An <end> that is never likely enough within two words: the best unfinished hypothesis comes back.
            for (int end = 1; end < VOCAB; end++) {
                for (Decoded d : Decoding.run(m, img, 2, DecodeOptions.beam(3).withMaxWords(1).withMinWords(1), 0, end)) {
                    assertTrue(d.words().length >= 1, "a caption, not nothing");
                    assertTrue(d.words().length <= 1, "no more words than asked for");
                }
            }
        }
    }

    @Test
    void samplingRespectsTopKAndIsSeededPerImage() {
        float[] logits = {0f, 3f, 1f, 2.5f, -1f};
        Random rng = new Random(1);
        for (int i = 0; i < 200; i++) {
            int w = Sampler.draw(logits, 0, 5, 1f, 2, 1f, rng);
            assertTrue(w == 1 || w == 3, "top-2 keeps only the two likeliest");
            assertEquals(1, Sampler.draw(logits, 0, 5, 1f, 0, 0.01f, rng), "a tiny nucleus is the argmax");
        }
        DecodeOptions sampling = DecodeOptions.sampling(7).withSampling(1.5f, 0, 0.9f, 7);
        try (Captioner m = model(DecoderConfig.Kind.ATTENTION); Tensor two = images(2); Tensor one = images(1)) {
            Decoded[] a = Decoding.run(m, two, 2, sampling, 0, -1), b = Decoding.run(m, two, 2, sampling, 0, -1), alone = Decoding.run(m, one, 1, sampling, 0, -1);
            for (int i = 0; i < 2; i++) assertArrayEquals(a[i].words(), b[i].words());
            assertArrayEquals(alone[0].words(), a[0].words(), "an image samples the same caption alone or in a batch");
            assertArrayEquals(wordLogProbs(m, two, 0, a[0].words()), a[0].logProbs(), 1e-4f, "sampled words carry the model's log-probabilities");
        }
    }

    @Test
    void optionsOutOfRangeAreRefusedByName() {
        for (Runnable bad : List.<Runnable>of(() -> DecodeOptions.beam(0), () -> DecodeOptions.beam(-3), () -> DecodeOptions.GREEDY.withMaxWords(0),
                () -> DecodeOptions.GREEDY.withSampling(1f, 0, 2f, 0), () -> DecodeOptions.GREEDY.withSampling(1f, -1, 1f, 0),
                () -> DecodeOptions.GREEDY.withSampling(-1f, 0, 1f, 0), () -> DecodeOptions.beam(2).withAlternatives(2),
                () -> DecodeOptions.beam(3).withSampling(1f, 0, 1f, 0))) {
            assertTrue(assertThrows(IllegalArgumentException.class, bad::run).getMessage().length() > 10);
        }
    }
}
