package dev.vitcap.bench;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.Decoder;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.PassOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The model's parts at the {@code small} configuration (batch 32): the encoder's forward pass, one
 * decoding step of the attention decoder, and the decoder's teacher-forced forward and backward pass
 * over a whole caption.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ModelBench {
    static final int BATCH = 32;

    @Param({"cpu"})
    public String backend;

    Kernels k;
    Captioner model;
    Tensor images, encoded;
    Arena fixed;
    Decoder.State state;
    int[] words;
    int[][] captions;

    @Setup(Level.Trial)
    public void setUp() {
        k = BenchKernels.open(backend);
        ModelConfig cfg = ModelConfig.preset("small", DecoderConfig.Kind.ATTENTION);
        model = new Captioner(k, cfg, 0);
        Random rng = new Random(0);
        var vit = cfg.encoder();
        float[] img = new float[BATCH * 3 * vit.imageHeight() * vit.imageWidth()];
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextGaussian();
        images = k.upload(img, BATCH, 3, vit.imageHeight(), vit.imageWidth());
        fixed = new Arena(k);
        encoded = model.encoder.forward(fixed, images, BATCH).out;
        state = fixed.keep(model.decoder.start(fixed, encoded, BATCH, model.tokens()));
        words = new int[BATCH];
        for (int i = 0; i < BATCH; i++) words[i] = rng.nextInt(cfg.decoder().vocab());
        captions = new int[BATCH][cfg.maxLength()];
        for (int[] c : captions) for (int t = 0; t < c.length; t++) c[t] = rng.nextInt(cfg.decoder().vocab());
    }

    @Benchmark
    public int encoderForward() {
        try (Arena a = new Arena(k)) {
            return model.encoder.forward(a, images, BATCH).out.shape().length;
        }
    }

    @Benchmark
    public int decoderStep() {
        try (Arena a = new Arena(k)) {
            return model.decoder.step(a, state, words).shape().length;
        }
    }

    @Benchmark
    public double decoderTrainPass() {
        try (Arena a = new Arena(k)) {
            Decoder.Pass pass = model.decoder.forward(a, encoded, model.tokens(), CaptionBatch.of(a, captions, -1),
                    new PassOptions(true, 1, 0f, 1f));
            model.decoderParams.zeroGrads();
            model.decoder.backward(a, pass, a.zeros(BATCH, model.tokens(), model.config.encoder().dim()));
            return pass.loss();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixed.close();
        images.close();
        model.close();
        k.close();
    }
}
