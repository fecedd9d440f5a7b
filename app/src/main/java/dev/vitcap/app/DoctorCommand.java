package dev.vitcap.app;

import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Check;
import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.SelfTest;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.FixtureCheck;
import dev.vitcap.model.WeightSource;
import dev.vitcap.weights.SafeTensors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What this machine can run: Java, cores, every backend (usable or not, and why), the one chosen, its
 * matrix-product speed, and each usable backend's kernels checked against the reference backend.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Checks the backends: which are usable and why, the chosen one's speed, and their kernels against the reference.")
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend;

    @Option(names = "--fixture", paramLabel = "FILE.safetensors",
            description = "Also reproduce a reference fixture (lstm-a, decoder-a or showtell-a format) on every usable backend.")
    Path fixture;

    @Override
    public Integer call() throws Exception {
        // Read first, so a bad fixture is reported before the checks run.
        Map<String, WeightSource> fixtureTensors = fixture == null ? null : SafeTensors.read(fixture).tensors();
        PrintStream out = System.out;
        Runtime rt = Runtime.getRuntime();
        out.printf("java      %s (%s), %d cores, max heap %d MiB%n", System.getProperty("java.version"),
                System.getProperty("java.vendor"), rt.availableProcessors(), rt.maxMemory() >> 20);
        for (Backends.Candidate c : Backends.candidates()) {
            out.printf("backend   %-9s rank %3d  %s: %s%n", c.name(), c.provider().rank(), c.probe().usable() ? "usable" : "unusable", c.probe().detail());
        }
        Backends.Selection chosen = backend.select();
        out.printf("chosen    %s (%s)%n", chosen.chosen().name(), chosen.why());
        out.printf("speed     %.1f GFLOP/s on a 1024x1024x1024 float32 matrix product (%s)%n", gflops(chosen.kernels()), chosen.chosen().name());
        boolean ok = true;
        for (Backends.Candidate c : Backends.candidates()) {
            if (!c.probe().usable()) continue;
            try (Kernels k = c.name().equals(chosen.chosen().name()) ? null : c.provider().open()) {
                Kernels kernels = k != null ? k : chosen.kernels();
                if (!c.name().equals("reference")) ok &= report(out, "self-test " + c.name(), SelfTest.run(kernels, 1, 1));
                if (fixtureTensors != null) {
                    ok &= report(out, "fixture   " + c.name() + " " + FixtureCheck.kind(fixtureTensors).name().toLowerCase(),
                            FixtureCheck.run(kernels, fixtureTensors));
                }
            }
        }
        chosen.kernels().close();
        out.println(ok ? "result    all checks passed" : "result    SOME CHECKS FAILED");
        return ok ? 0 : 1;
    }

    /** One line per group of checks: how many passed, and the largest error relative to its tolerance. */
    private static boolean report(PrintStream out, String what, List<Check> checks) {
        List<Check> failed = new ArrayList<>(checks.stream().filter(c -> !c.passed()).toList());
        Check worst = checks.stream().max(Comparator.comparingDouble(Check::ratio)).orElseThrow();
        out.printf("%s: %d/%d passed, largest error %.2e on %s (tolerance %.1e)%n", what, checks.size() - failed.size(),
                checks.size(), worst.error(), worst.name(), worst.tolerance());
        failed.forEach(c -> out.println("          " + c));
        return failed.isEmpty();
    }

    static double gflops(Kernels k) {
        int n = 1024;
        float[] host = new float[n * n];
        java.util.Random rng = new java.util.Random(1);
        for (int i = 0; i < host.length; i++) host[i] = rng.nextFloat() - 0.5f;
        try (Tensor a = k.upload(host, n, n); Tensor b = k.upload(host, n, n); Tensor c = k.empty(DType.F32, n, n)) {
            for (int i = 0; i < 2; i++) k.gemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            k.synchronize();
            int reps = k.name().equals("reference") ? 1 : 10;
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) k.gemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            k.synchronize();
            return 2.0 * n * n * n * reps / (System.nanoTime() - start);
        }
    }
}
