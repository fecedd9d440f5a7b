package dev.vitcap.bench;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
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
 * The encoder's weight gradients on the cpu backend, {@code dW [out, in] += dYᵀ·X} over the batch's
 * rows (the {@code small} config's four shapes), as the training step multiplies them
 * ({@code transposed}: dY as it lies, {@code [rows, out]}) and, for contrast, the same product with
 * dY already transposed. {@code reference/product_shapes.py} times PyTorch's products on the same
 * shapes. GFLOP/s = 2·out·in·rows / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class WeightGradientBench {
    /** out x in x rows */
    @Param({"768x192x2080", "192x768x2080", "576x192x2080", "192x192x2080"})
    public String shape;

    private Kernels k;
    private Tensor dy, dyT, x, dw;
    private int out, in, rows;

    @Setup(Level.Trial)
    public void setUp() {
        String[] s = shape.split("x");
        out = Integer.parseInt(s[0]);
        in = Integer.parseInt(s[1]);
        rows = Integer.parseInt(s[2]);
        k = BenchKernels.open("cpu");
        Random rng = new Random(1);
        dy = random(rng, rows, out);
        dyT = random(rng, out, rows);
        x = random(rng, rows, in);
        dw = random(rng, out, in);
    }

    private Tensor random(Random rng, int r, int c) {
        float[] v = new float[r * c];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        return k.upload(v, r, c);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor t : new Tensor[]{dy, dyT, x, dw}) t.close();
        k.close();
    }

    @Benchmark
    public Tensor transposed() {
        k.gemm(true, false, out, in, rows, 1f, dy, out, x, in, 1f, dw, in);
        return dw;
    }

    @Benchmark
    public Tensor pretransposed() {
        k.gemm(false, false, out, in, rows, 1f, dyT, rows, x, in, 1f, dw, in);
        return dw;
    }
}
