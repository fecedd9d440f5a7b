package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.kernel.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a right-to-left decoder reads: each caption's words reversed, {@code <start>}, {@code <end>} and
 * padding where they were; and a batch runs only up to its last real target, which changes nothing.
 */
class CaptionBatchTest {
    static final int PAD = 0, START = 1, END = 2;

    @Test
    void reversedCaptionsKeepStartEndAndPaddingInPlace() {
        int[][] captions = {{START, 5, 6, 7, END, PAD, PAD}, {START, 8, END, PAD, PAD, PAD, PAD}, {START, END, PAD, PAD, PAD, PAD, PAD},
                {START, 4, 5, 6, 7, 8, END}};
        int[][] expected = {{START, 7, 6, 5, END, PAD, PAD}, {START, 8, END, PAD, PAD, PAD, PAD}, {START, END, PAD, PAD, PAD, PAD, PAD},
                {START, 8, 7, 6, 5, 4, END}};
        int[][] reversed = CaptionBatch.reverseWords(captions, PAD);
        for (int b = 0; b < captions.length; b++) assertArrayEquals(expected[b], reversed[b]);
        assertArrayEquals(new int[]{START, 5, 6, 7, END, PAD, PAD}, captions[0], "the input is left as it was");
        Kernels k = new ReferenceKernels();
        try (Arena a = new Arena(k)) {
            CaptionBatch onBackend = CaptionBatch.of(a, captions, PAD).reversed(a), direct = CaptionBatch.of(a, expected, PAD);
            assertArrayEquals(k.downloadInts(direct.inputs()), k.downloadInts(onBackend.inputs()));
            assertArrayEquals(k.downloadInts(direct.targets()), k.downloadInts(onBackend.targets()));
            assertArrayEquals(k.download(direct.real()), k.download(onBackend.real()));
            assertEquals(direct.realCount(), onBackend.realCount());
        }
    }

    @ParameterizedTest
    @EnumSource(DecoderConfig.Kind.class)
    void stepsAfterTheLastRealTargetAreNotRunAndWouldChangeNothing(DecoderConfig.Kind kind) {
        int[][] captions = {{START, 4, 5, END, PAD, PAD, PAD, PAD, PAD}, {START, 6, END, PAD, PAD, PAD, PAD, PAD, PAD}};
        Kernels k = new ReferenceKernels();
        VitConfig vit = VitConfig.builder().image(8).patch(4).dim(8).depth(1).heads(2).mlp(16).build();
        DecoderConfig dec = DecoderConfig.builder(kind).vocab(7).emb(5).hidden(6).att(4).fc(3).dropout(0.5f).build();
        PassOptions training = new PassOptions(true, 3, 0.1f, 0.5f, 0f, 0f);
        float[] images = new float[2 * 3 * 8 * 8];
        for (int i = 0; i < images.length; i++) images[i] = (float) Math.sin(i);
        try (Captioner model = new Captioner(k, new ModelConfig(vit, dec, captions[0].length), 5); Arena a = new Arena(k)) {
            Tensor img = a.keep(k.upload(images, 2, 3, 8, 8));
            CaptionBatch trimmed = CaptionBatch.of(a, captions, PAD);
            assertEquals(3, trimmed.steps(), "the longest caption's <end> is the third target");
            float[][] fromTrimmed = lossAndGradients(a, model, img, trimmed, training);
            float[][] fromAll = lossAndGradients(a, model, img, allSteps(a, captions), training);
            for (int i = 0; i < fromAll.length; i++) assertArrayEquals(fromAll[i], fromTrimmed[i], 1e-6f, model.parameters().get(Math.max(0, i - 1)).name());
        }
    }

    /** The batch as it was laid out before trimming: every step of the caption length, the padding's rows not real. */
    private static CaptionBatch allSteps(Arena a, int[][] captions) {
        int batch = captions.length, steps = captions[0].length - 1, count = 0;
        int[] in = new int[batch * steps], out = new int[batch * steps];
        float[] real = new float[batch * steps];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                in[t * batch + b] = captions[b][t];
                out[t * batch + b] = captions[b][t + 1];
                if (out[t * batch + b] != PAD) {
                    real[t * batch + b] = 1f;
                    count++;
                }
            }
        }
        Kernels k = a.kernels();
        return new CaptionBatch(batch, steps, a.keep(k.uploadInts(in, in.length)), a.keep(k.uploadInts(out, out.length)), a.keep(k.upload(real, real.length)), count, PAD, null);
    }

    /** The loss, then every parameter's gradient. */
    private static float[][] lossAndGradients(Arena a, Captioner model, Tensor images, CaptionBatch captions, PassOptions options) {
        Captioner.Pass pass = model.forward(a, images, captions, options);
        model.zeroGrads();
        model.backward(a, pass, false);
        float[][] out = new float[1 + model.parameters().size()][];
        out[0] = new float[]{(float) pass.loss()};
        for (int i = 0; i < model.parameters().size(); i++) out[1 + i] = a.kernels().download(model.parameters().get(i).param().grad());
        return out;
    }
}
