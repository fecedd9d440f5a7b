package dev.vitcap.train;

import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.decode.Decoding;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.optim.AdamW;
import dev.vitcap.settings.Range;

import java.util.Random;
import java.util.function.IntSupplier;

/**
 * Images per second as {@code reference-model.md} counts them, on random input (no data loading):
 * a training step (encoder and decoder forward and backward, clipping, AdamW), greedy decoding, and
 * beam search of width 5 with no early stop, each over {@code T − 1} steps. The timed iterations are
 * the PyTorch twin's; the warm-up runs at least the twin's count and at least {@link #WARMUP_SECONDS},
 * because a JVM reaches its steady speed only once the JIT has compiled the kernels, which PyTorch's
 * precompiled code does not need: both sides are then timed at the speed a long run sees.
 */
public final class Throughput {
    private Throughput() {
    }

    public record Result(double train, double greedy, double beam5) {
    }

    public static final double WARMUP_SECONDS = 8;

    /** The benchmark's input: {@code batch} standard-normal images and random captions of the model's length, from seed 0. */
    public record Inputs(float[] images, int[][] captions) {
        public static Inputs random(ModelConfig cfg, int batch) {
            Random rng = new Random(0);
            var vit = cfg.encoder();
            float[] images = new float[batch * vit.channels() * vit.imageHeight() * vit.imageWidth()];
            for (int i = 0; i < images.length; i++) images[i] = (float) rng.nextGaussian();
            int[][] captions = new int[batch][cfg.maxLength()];
            for (int[] c : captions) for (int t = 0; t < c.length; t++) c[t] = rng.nextInt(cfg.decoder().vocab());
            return new Inputs(images, captions);
        }
    }

    /** Timed iterations of each measurement. */
    public static final Range ITERATIONS = Range.atLeast(1);

    public static Result measure(Kernels k, ModelConfig cfg, int batch, int iterations) {
        ITERATIONS.check("iterations", iterations);
        var vit = cfg.encoder();
        Inputs in = Inputs.random(cfg, batch);
        int[][] captions = in.captions();
        try (Captioner model = new Captioner(k, cfg, 0);
             AdamW adam = AdamW.standard(k);
             Tensor img = k.upload(in.images(), batch, vit.channels(), vit.imageHeight(), vit.imageWidth())) {
            TrainStep train = new TrainStep(model, adam);
            long[] seed = {0};
            double tr = rate(batch, 2, iterations, k, () -> {
                train.run(img, captions, -1, StepOptions.reference(seed[0]++));
                return 0;
            });
            // No <end> (id -1): every caption runs T − 1 steps, as the twin counts them.
            double gr = rate(batch, 1, iterations, k, () -> Decoding.run(model, img, batch, DecodeOptions.GREEDY, 0, -1).length);
            double bm = rate(batch, 1, iterations, k, () -> Decoding.run(model, img, batch, DecodeOptions.beam(5), 0, -1).length);
            return new Result(tr, gr, bm);
        }
    }

    private static double rate(int batch, int warmup, int iterations, Kernels k, IntSupplier body) {
        long began = System.nanoTime();
        for (int i = 0; i < warmup || System.nanoTime() - began < WARMUP_SECONDS * 1e9; i++) body.getAsInt();
        k.synchronize();
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) body.getAsInt();
        k.synchronize();
        return (double) iterations * batch / ((System.nanoTime() - start) / 1e9);
    }
}
