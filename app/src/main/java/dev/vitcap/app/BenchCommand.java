package dev.vitcap.app;

import dev.vitcap.kernel.Backends;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.train.Throughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Training and captioning throughput of a reference configuration, counted as the PyTorch twin counts it. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Prints train, greedy and beam5 images per second for a reference configuration (random input).")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend;

    @Option(names = "--config", defaultValue = "small", converter = ModelOptions.Preset.class, description = "Configuration: tiny, small or base (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--decoder", defaultValue = "attention", converter = ModelOptions.Decoder.class, description = "attention or showtell (default: ${DEFAULT-VALUE}).")
    DecoderConfig.Kind decoder;

    @Option(names = "--iterations", converter = Ranges.Iterations.class, description = "Timed iterations of each measurement, at least 1 (default: 5 on the CPU, 20 on a GPU, as the twin).")
    Integer iterations;

    @Option(names = "--precision", converter = Precision.class, description = "Matrix-product precision on a GPU: fp32, tf32 or bf16 (default: fp32).")
    String precision;

    /** {@code --precision fp32|tf32|bf16}, as the CUDA backend reads it. */
    static final class Precision implements ITypeConverter<String> {
        @Override
        public String convert(String name) {
            try {
                return dev.vitcap.cuda.Precision.parse(name).toString();
            } catch (IllegalArgumentException e) {
                throw new Ranges.Refused("must be fp32, tf32 or bf16, not '" + name + "'");
            }
        }
    }

    @Option(names = "--json", description = "Print {\"train\": N, \"greedy\": N, \"beam5\": N} instead of three lines.")
    boolean json;

    @Override
    public Integer call() {
        ModelConfig cfg = ModelConfig.preset(config, decoder);
        if (precision != null) System.setProperty("vitcap.cuda.precision", precision);
        Backends.Selection s = backend.select();
        int n = iterations != null ? iterations : s.chosen().name().equals("cuda") ? 20 : 5;
        int batch = config.equals("base") ? 64 : 32;
        Throughput.Result r;
        try (var k = s.kernels()) {
            r = Throughput.measure(k, cfg, batch, n);
        }
        if (json) {
            System.out.printf("{\"train\": %.1f, \"greedy\": %.1f, \"beam5\": %.1f}%n", r.train(), r.greedy(), r.beam5());
        } else {
            System.out.printf("train %.1f img/s%ngreedy %.1f img/s%nbeam5 %.1f img/s%n", r.train(), r.greedy(), r.beam5());
        }
        return 0;
    }
}
