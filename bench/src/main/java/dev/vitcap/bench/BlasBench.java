package dev.vitcap.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * ND4J's own {@code Nd4j.gemm} on float32 matrices, to show what the BLAS core type costs: run it as
 * built (OpenBLAS 0.3.31) and with {@code -Pstock-openblas} (ND4J M2.1's own OpenBLAS 0.3.19, which
 * does not recognise current Xeons). GFLOP/s = 2·m·n·k / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BlasBench {
    /** m x k x n */
    @Param({"1024x1024x1024", "1280x256x2048", "2080x192x576"})
    public String shape;

    INDArray a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] s = shape.split("x");
        int m = Integer.parseInt(s[0]), k = Integer.parseInt(s[1]), n = Integer.parseInt(s[2]);
        a = Nd4j.rand(DataType.FLOAT, m, k);
        b = Nd4j.rand(DataType.FLOAT, k, n);
        c = Nd4j.create(DataType.FLOAT, m, n);
    }

    @Benchmark
    public INDArray nd4jGemm() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
}
