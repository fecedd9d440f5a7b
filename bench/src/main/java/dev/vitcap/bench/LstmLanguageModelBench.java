package dev.vitcap.bench;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.LstmSequence;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Init;
import dev.vitcap.model.ParamSet;
import dev.vitcap.optim.AdamW;
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

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The LSTM step at the {@code small} sizes, as a language-model training step so it can stand beside
 * the stock Deeplearning4j layer ({@link Dl4jLstmBench}) doing the same work: embedding (V 1000,
 * E 256), one LSTM layer (H 512) over T 20 tokens for a batch of 32, output layer and cross-entropy,
 * the backward pass, and Adam on every weight.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LstmLanguageModelBench {
    static final int VOCAB = 1000, EMB = 256, HID = 512, STEPS = 20, BATCH = 32;

    @Param({"cpu"})
    public String backend;

    Kernels k;
    ParamSet params;
    AdamW adam;
    Tensor ids, targets;
    LstmSequence.Layer layer;
    dev.vitcap.model.Param emb, out, outBias;

    @Setup(Level.Trial)
    public void setUp() {
        k = BenchKernels.open(backend);
        Random rng = new Random(0);
        params = new ParamSet(k);
        emb = params.add("emb", Init.fanIn(1), rng, VOCAB, EMB);
        dev.vitcap.model.Param wIh = params.add("w_ih", Init.fanIn(HID), rng, 4 * HID, EMB), wHh = params.add("w_hh", Init.fanIn(HID), rng, 4 * HID, HID);
        dev.vitcap.model.Param bIh = params.add("b_ih", Init.fanIn(HID), rng, 4 * HID), bHh = params.add("b_hh", Init.fanIn(HID), rng, 4 * HID);
        out = params.add("out", Init.fanIn(HID), rng, VOCAB, HID);
        outBias = params.add("out_b", Init.fanIn(HID), rng, VOCAB);
        layer = new LstmSequence.Layer(EMB, HID, wIh.value(), wHh.value(), bIh.value(), bHh.value(), wIh.grad(), wHh.grad(), bIh.grad(), bHh.grad());
        int n = STEPS * BATCH;
        int[] in = new int[n], next = new int[n];
        for (int i = 0; i < n; i++) {
            in[i] = rng.nextInt(VOCAB);
            next[i] = rng.nextInt(VOCAB);
        }
        ids = k.uploadInts(in, n);
        targets = k.uploadInts(next, n);
        adam = AdamW.standard(k);
    }

    @Benchmark
    public double trainStep() {
        int n = STEPS * BATCH;
        try (Arena a = new Arena(k)) {
            Tensor x = a.f32(n, EMB), h0 = a.zeros(1, BATCH, HID), c0 = a.zeros(1, BATCH, HID);
            Tensor y = a.f32(n, HID), hN = a.f32(1, BATCH, HID), cN = a.f32(1, BATCH, HID);
            k.embedding(emb.value(), ids, n, EMB, x, EMB);
            LstmSequence.Saved saved = a.keep(k.lstmForward(List.of(layer), STEPS, BATCH, x, h0, c0, y, hN, cN));
            Tensor logits = a.f32(n, VOCAB), losses = a.f32(n), dLogits = a.f32(n, VOCAB);
            k.gemm(false, true, n, VOCAB, HID, 1f, y, HID, out.value(), HID, 0f, logits, VOCAB);
            k.addBias(logits, n, VOCAB, outBias.value());
            k.crossEntropy(logits, targets, n, VOCAB, -1, 0f, losses, dLogits, 1f / n);
            params.zeroGrads();
            Tensor dy = a.f32(n, HID), dx = a.f32(n, EMB), dh0 = a.f32(1, BATCH, HID), dc0 = a.f32(1, BATCH, HID);
            k.gemm(true, false, VOCAB, HID, n, 1f, dLogits, VOCAB, y, HID, 1f, out.grad(), HID);
            k.sumRows(dLogits, n, VOCAB, outBias.grad());
            k.gemm(false, false, n, HID, VOCAB, 1f, dLogits, VOCAB, out.value(), HID, 0f, dy, HID);
            k.lstmBackward(saved, dy, null, null, dx, dh0, dc0);
            k.embeddingBackward(dx, EMB, ids, n, EMB, emb.grad());
            adam.step(params.all(), 1e-3f, 1f);
            return k.sum(losses);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        adam.close();
        params.close();
        k.close();
    }
}
