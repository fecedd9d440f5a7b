package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.kernel.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole model's gradient (encoder, decoder and both auxiliary heads, with padding, label smoothing and the attention
 * regulariser, which the fixtures do not cover) against central finite differences of its loss; for a
 * model of both directions, the sum of both decoders' losses, each training the shared encoder.
 */
class GradientCheckTest {
    private static final float EPS = 3e-3f;

    @ParameterizedTest
    @CsvSource({"ATTENTION, L2R", "SHOWTELL, L2R", "ATTENTION, BOTH", "SHOWTELL, BOTH", "ATTENTION, R2L", "SHOWTELL, R2L"})
    void gradientsMatchFiniteDifferences(DecoderConfig.Kind kind, Directions directions) {
        Kernels k = new ReferenceKernels();
        VitConfig vit = VitConfig.builder().image(8).patch(4).dim(8).depth(1).heads(2).mlp(16).build();
        DecoderConfig dec = DecoderConfig.builder(kind).vocab(7).emb(5).hidden(6).att(4).layers(kind == DecoderConfig.Kind.SHOWTELL ? 2 : 1).fc(3).build();
        ModelConfig cfg = new ModelConfig(vit, dec, 5, new RegionHeadConfig(2, 3), directions, true);
        PassOptions opts = new PassOptions(false, 0, 0.1f, 0.5f, 0.7f, 0.6f);
        int[] regions = {0, 2, 1, 1, 2, 0, 0, 1}; // two images, 2×2 cells each
        int[][] captions = {{1, 4, 5, 2, 0}, {1, 6, 4, 3, 2}}; // the first is padded (pad = 0)
        Random rng = new Random(7);
        float[] images = new float[2 * 3 * 8 * 8];
        for (int i = 0; i < images.length; i++) images[i] = (float) rng.nextGaussian();
        try (Captioner model = new Captioner(k, cfg, 11)) {
            assertEquals(directions.rightToLeft(), model.parameters().stream().anyMatch(n -> n.name().startsWith(Captioner.R2L_PREFIX)));
            assertEquals(directions.leftToRight(), model.parameters().stream().anyMatch(n -> n.name().startsWith(Captioner.L2R_PREFIX)));
            List<String> failures = new ArrayList<>();
            try (Arena a = new Arena(k)) {
                Captioner.Pass pass = model.forward(a, a.keep(k.upload(images, 2, 3, 8, 8)), CaptionBatch.of(a, captions, 0), opts,
                        a.keep(k.uploadInts(regions, regions.length)));
                model.zeroGrads();
                model.backward(a, pass, false);
            }
            for (Captioner.Named named : model.parameters()) {
                Param p = named.param();
                float[] value = k.download(p.value());
                float[] grad = k.download(p.grad());
                for (int probe = 0; probe < Math.min(3, value.length); probe++) {
                    int i = rng.nextInt(value.length);
                    float saved = value[i];
                    value[i] = saved + EPS;
                    k.write(p.value(), value);
                    double up = loss(k, model, images, captions, opts, regions);
                    value[i] = saved - EPS;
                    k.write(p.value(), value);
                    double down = loss(k, model, images, captions, opts, regions);
                    value[i] = saved;
                    k.write(p.value(), value);
                    double numeric = (up - down) / (2 * EPS);
                    if (Math.abs(numeric - grad[i]) > 2e-3 + 2e-2 * Math.abs(numeric)) {
                        failures.add(named.name() + "[" + i + "]: analytic " + grad[i] + ", numeric " + numeric);
                    }
                }
            }
            assertTrue(failures.isEmpty(), String.join("\n", failures));
        }
    }

    private static double loss(Kernels k, Captioner model, float[] images, int[][] captions, PassOptions opts, int[] regions) {
        try (Arena a = new Arena(k)) {
            Tensor img = a.keep(k.upload(images, 2, 3, 8, 8));
            return model.forward(a, img, CaptionBatch.of(a, captions, 0), opts, a.keep(k.uploadInts(regions, regions.length))).loss();
        }
    }
}
