package dev.vitcap.decode;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.Directions;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.PassOptions;
import dev.vitcap.model.VitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding with a right-to-left decoder: rescoring picks by its formula among both beams' captions, scored
 * here independently, one caption at a time; a right-to-left model captions in reading order.
 */
class BidirectionalDecodingTest {
    static final int VOCAB = 9, STEPS = 6, START = 1, END = 2, IMAGES = 3;
    final Kernels k = new ReferenceKernels();

    Captioner model(DecoderConfig.Kind kind, Directions directions) {
        VitConfig vit = VitConfig.builder().image(8).patch(4).dim(8).depth(1).heads(2).mlp(16).build();
        DecoderConfig decoder = DecoderConfig.builder(kind).vocab(VOCAB).emb(5).hidden(6).att(4).layers(1).fc(3).dropout(0f).build();
        return new Captioner(k, new ModelConfig(vit, decoder, STEPS + 1, null, directions), 3);
    }

    Tensor images() {
        Random rng = new Random(5);
        float[] x = new float[IMAGES * 3 * 8 * 8];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian() * 2;
        return k.upload(x, IMAGES, 3, 8, 8);
    }

    /** {@code decoder}'s log-probability of {@code <start> tokens… <end>} for one image, per predicted token, by a pass of its own. */
    double perToken(Captioner m, Decoder decoder, Tensor img, int image, int[] tokens) {
        int[] caption = new int[tokens.length + 2];
        caption[0] = START;
        System.arraycopy(tokens, 0, caption, 1, tokens.length);
        caption[tokens.length + 1] = END;
        int n = caption.length - 1;
        try (Arena a = new Arena(k)) {
            Tensor enc = m.encoder.forward(a, img, IMAGES).out;
            Tensor one = a.f32(1, m.tokens(), m.config.encoder().dim());
            k.gatherRows(1, m.tokens() * m.config.encoder().dim(), enc, a.keep(k.uploadInts(new int[]{image}, 1)), one);
            Decoder.Pass pass = decoder.forward(a, one, m.tokens(), CaptionBatch.of(a, new int[][]{caption}, -1), new PassOptions(false, 0, 0f, 0f));
            Tensor lp = a.f32(n, VOCAB);
            k.logSoftmax(pass.logits(), lp, n, VOCAB);
            float[] host = k.download(lp);
            double sum = 0;
            for (int t = 0; t < n; t++) sum += host[t * VOCAB + caption[t + 1]];
            return sum / n;
        }
    }

    /** Every caption of each image's beam by {@code decoder}, in reading order. */
    List<List<int[]>> nBest(Captioner m, Decoder decoder, Tensor img, int beam, boolean reversed) {
        try (Arena a = new Arena(k)) {
            Tensor enc = m.encoder.forward(a, img, IMAGES).out;
            Decoded[] out = BeamSearch.decode(m, decoder, enc, IMAGES, STEPS, START, END, DecodeOptions.beam(beam), Integer.MAX_VALUE);
            List<List<int[]>> all = new ArrayList<>();
            for (Decoded d : out) {
                List<int[]> captions = new ArrayList<>();
                captions.add(d.words());
                for (Decoded alt : d.alternatives()) captions.add(alt.words());
                all.add(captions.stream().map(w -> reversed ? Decoding.reversed(w) : w).toList());
            }
            return all;
        }
    }

    @ParameterizedTest
    @CsvSource({"ATTENTION, 3, 0", "ATTENTION, 3, 0.3", "ATTENTION, 3, 1", "SHOWTELL, 3, 0.5", "SHOWTELL, 1, 0", "SHOWTELL, 1, 1"})
    void rescoringPicksTheJoinedNBestsBestByTheWeightedLengthNormalisedScores(DecoderConfig.Kind kind, int beam, float alpha) {
        try (Captioner m = model(kind, Directions.BOTH); Tensor img = images()) {
            Decoded[] got = Decoding.run(m, img, IMAGES, DecodeOptions.beam(beam).withRescore(alpha).withAlternatives(beam - 1), START, END);
            List<List<int[]>> forward = nBest(m, m.leftToRight(), img, beam, false), backward = nBest(m, m.rightToLeft(), img, beam, true);
            for (int b = 0; b < IMAGES; b++) {
                List<int[]> candidates = new ArrayList<>(forward.get(b));
                for (int[] c : backward.get(b)) if (candidates.stream().noneMatch(x -> Arrays.equals(x, c))) candidates.add(c);
                int[] best = null;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int[] c : candidates) {
                    double score = (1 - alpha) * perToken(m, m.leftToRight(), img, b, c) + alpha * perToken(m, m.rightToLeft(), img, b, Decoding.reversed(c));
                    if (score > bestScore) {
                        bestScore = score;
                        best = c;
                    }
                }
                assertArrayEquals(best, got[b].words(), "image " + b);
                assertEquals(bestScore, got[b].score(), 1e-5);
                assertEquals(Math.min(beam - 1, candidates.size() - 1), got[b].alternatives().size());
                for (Decoded alt : got[b].alternatives()) assertTrue(alt.score() <= got[b].score());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DecoderConfig.Kind.class)
    void aRightToLeftModelCaptionsInReadingOrder(DecoderConfig.Kind kind) {
        try (Captioner m = model(kind, Directions.R2L); Tensor img = images()) {
            assertEquals(m.rightToLeft(), m.decoder);
            for (DecodeOptions o : List.of(DecodeOptions.GREEDY, DecodeOptions.beam(3).withAlternatives(1))) {
                Decoded[] got = Decoding.run(m, img, IMAGES, o, START, END);
                Decoded[] backwards;
                try (Arena a = new Arena(k)) {
                    backwards = BeamSearch.decode(m, m.decoder, m.encoder.forward(a, img, IMAGES).out, IMAGES, STEPS, START, END, o, o.alternatives());
                }
                for (int b = 0; b < IMAGES; b++) {
                    assertArrayEquals(Decoding.reversed(backwards[b].words()), got[b].words());
                    float[] lp = got[b].logProbs();
                    for (int i = 0; i < lp.length; i++) assertEquals(backwards[b].logProbs()[lp.length - 1 - i], lp[i]);
                    for (int i = 0; i < got[b].alternatives().size(); i++) {
                        assertArrayEquals(Decoding.reversed(backwards[b].alternatives().get(i).words()), got[b].alternatives().get(i).words());
                    }
                }
            }
        }
    }

    @Test
    void rescoringAModelWithoutBothDecodersIsRefusedInOneLine() {
        DecodeOptions o = DecodeOptions.beam(2).withRescore(0.5f);
        try (Captioner m = model(DecoderConfig.Kind.ATTENTION, Directions.L2R); Tensor img = images()) {
            String message = assertThrows(IllegalArgumentException.class, () -> Decoding.run(m, img, IMAGES, o, START, END)).getMessage();
            assertEquals("--rescore needs a model trained with --directions both; this model has l2r only", message);
        }
        ModelConfig r2l = ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION).withDirections(Directions.R2L);
        assertEquals("--rescore needs a model trained with --directions both; MODEL has r2l only", Decoding.refusal(r2l, o, "MODEL"));
        assertEquals(null, Decoding.refusal(r2l.withDirections(Directions.BOTH), o, "MODEL"));
        assertThrows(IllegalArgumentException.class, () -> o.withRescore(1.5f));
        assertThrows(IllegalArgumentException.class, () -> DecodeOptions.sampling(1).withRescore(0.5f));
    }
}
