package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.kernel.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The position loss against a plain computation of what it means: each patch token's cross-entropy for
 * its own patch index, averaged over the patch tokens of every image, the class token left out.
 * (Its gradient is checked with the whole model's in {@link GradientCheckTest}.)
 */
class PositionHeadTest {
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void lossIsTheMeanCrossEntropyOfEachPatchForItsOwnIndex(boolean classToken) {
        Kernels k = new ReferenceKernels();
        VitConfig vit = VitConfig.builder().image(12).patch(4).dim(5).depth(1).heads(1).mlp(8).classToken(classToken).build();
        int batch = 3, tokens = vit.tokens(), patches = vit.patchesPerImage(), d = vit.dim(), first = tokens - patches;
        Random rng = new Random(3);
        float[] enc = new float[batch * tokens * d];
        for (int i = 0; i < enc.length; i++) enc[i] = (float) rng.nextGaussian();
        try (ParamSet ps = new ParamSet(k); Arena a = new Arena(k)) {
            PositionHead head = new PositionHead(ps, vit, rng);
            float[] w = k.download(ps.get(PositionHead.NAME + ".weight").value()), b = k.download(ps.get(PositionHead.NAME + ".bias").value());
            double expected = 0;
            for (int img = 0; img < batch; img++) {
                for (int p = 0; p < patches; p++) {
                    int row = (img * tokens + first + p) * d;
                    double[] logits = new double[patches];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < patches; c++) {
                        logits[c] = b[c];
                        for (int j = 0; j < d; j++) logits[c] += w[c * d + j] * enc[row + j];
                        max = Math.max(max, logits[c]);
                    }
                    double sum = 0;
                    for (double l : logits) sum += Math.exp(l - max);
                    expected -= logits[p] - max - Math.log(sum);
                }
            }
            float weight = 0.7f;
            expected *= weight / (batch * patches);
            Tensor x = a.keep(k.upload(enc, batch, tokens, d));
            assertEquals(expected, head.forward(a, x, batch, weight).loss(), 1e-5 * Math.abs(expected));
        }
    }
}
