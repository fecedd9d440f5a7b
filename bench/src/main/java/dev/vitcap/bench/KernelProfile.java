package dev.vitcap.bench;

import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.decode.Decoding;
import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.optim.AdamW;
import dev.vitcap.train.StepOptions;
import dev.vitcap.train.Throughput;
import dev.vitcap.train.TrainStep;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where a training step, the encoder's forward pass, greedy decoding and beam search spend their
 * time, kernel by kernel: every call into the backend is timed (matrix products by their shape), so
 * the table says which products and which element-wise kernels to attack. The CPU backend is
 * synchronous, so a call's wall time is its cost; the overhead of timing (a few hundred nanoseconds a
 * call) is included.
 *
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" --add-modules jdk.incubator.vector \
 *     dev.vitcap.bench.KernelProfile [small|base] [attention|showtell] [iterations]</pre>
 * It prints each phase's 25 costliest rows; {@code -Dvitcap.profile.rows=N} prints N.
 */
public final class KernelProfile {
    /** Calls that are not work. */
    private static final Set<String> NOT_TIMED = Set.of("name", "close", "synchronize");

    private KernelProfile() {
    }

    public static void main(String[] args) throws Exception {
        String config = args.length > 0 ? args[0] : "small";
        String decoder = args.length > 1 ? args[1] : "attention";
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ModelConfig cfg = ModelConfig.preset(config, decoder.equals("showtell") ? DecoderConfig.Kind.SHOWTELL : DecoderConfig.Kind.ATTENTION);
        int batch = config.equals("base") ? 64 : 32;
        Timer timer = new Timer();
        try (Kernels inner = BenchKernels.open("cpu")) {
            Kernels k = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[]{Kernels.class}, timer.around(inner));
            var vit = cfg.encoder();
            Throughput.Inputs in = Throughput.Inputs.random(cfg, batch);
            int[][] captions = in.captions();
            try (Captioner model = new Captioner(k, cfg, 0); AdamW adam = AdamW.standard(k);
                 Tensor img = k.upload(in.images(), batch, vit.channels(), vit.imageHeight(), vit.imageWidth())) {
                TrainStep train = new TrainStep(model, adam);
                long[] seed = {0};
                phase("train", timer, iterations, batch, () -> train.run(img, captions, -1, StepOptions.reference(seed[0]++)));
                phase("encoder", timer, iterations, batch, () -> {
                    try (Arena a = new Arena(k)) {
                        model.encoder.forward(a, img, batch);
                    }
                });
                phase("greedy", timer, iterations, batch, () -> Decoding.run(model, img, batch, DecodeOptions.GREEDY, 0, -1));
                phase("beam5", timer, iterations, batch, () -> Decoding.run(model, img, batch, DecodeOptions.beam(5), 0, -1));
            }
        }
    }

    private static void phase(String name, Timer timer, int iterations, int batch, Runnable body) {
        long began = System.nanoTime();
        while (System.nanoTime() - began < Throughput.WARMUP_SECONDS * 1e9) body.run();   // the JIT's warm-up, as Throughput's
        timer.totals.clear();
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) body.run();
        double wall = (System.nanoTime() - start) / 1e6 / iterations;
        double inKernels = timer.totals.values().stream().mapToDouble(s -> s.nanos).sum() / 1e6 / iterations;
        System.out.printf("%n%s: %.1f ms a batch of %d (%.1f img/s), %.1f ms in kernels%n", name, wall, batch, batch * 1000 / wall, inKernels);
        timer.totals.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().nanos, a.getValue().nanos)).limit(Integer.getInteger("vitcap.profile.rows", 25))
                .forEach(e -> System.out.printf("  %6.2f ms %5.1f%% %7d calls  %s%n", e.getValue().nanos / 1e6 / iterations,
                        100 * e.getValue().nanos / 1e6 / iterations / wall, e.getValue().calls / iterations, e.getKey()));
    }

    private static final class Stat {
        long nanos, calls;
    }

    private static final class Timer {
        final Map<String, Stat> totals = new HashMap<>();

        InvocationHandler around(Kernels inner) {
            return (proxy, method, args) -> {
                long t0 = System.nanoTime();
                Object r;
                try {
                    r = method.invoke(inner, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (!NOT_TIMED.contains(method.getName())) {
                    Stat s = totals.computeIfAbsent(key(method, args), x -> new Stat());
                    s.nanos += System.nanoTime() - t0;
                    s.calls++;
                }
                return r;
            };
        }

        /** Products by their shape and transposes; other kernels by name. */
        private static String key(Method m, Object[] a) {
            return switch (m.getName()) {
                case "gemm" -> "gemm " + (((boolean) a[0]) ? "T" : "N") + (((boolean) a[1]) ? "T" : "N") + " m=" + a[2] + " n=" + a[3] + " k=" + a[4];
                case "gemmBatched" -> "gemmBatched " + (((boolean) a[0]) ? "T" : "N") + (((boolean) a[1]) ? "T" : "N")
                        + " m=" + a[2] + " n=" + a[3] + " k=" + a[4] + " ×" + a[a.length - 1];
                case "gemmPrepared" -> "gemmPrepared m=" + a[0] + " n=" + ((Tensor) a[3]).shape()[0] + " k=" + ((Tensor) a[3]).shape()[1];
                default -> m.getName();
            };
        }
    }
}
