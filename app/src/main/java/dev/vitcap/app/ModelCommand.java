package dev.vitcap.app;

import dev.vitcap.diagram.ArchitectureDiagram;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.ModelSummary;
import dev.vitcap.weights.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vitcap model}: a model's {@link ModelSummary} table and its {@link ArchitectureDiagram}. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Describes a model without reading its weights.",
                "--summary prints its layers with their output shapes and parameter counts, and the totals; --diagram draws its architecture.",
                "The model is a checkpoint's (--checkpoint), a config file's or a preset's (--config); with neither, the small preset."})
final class ModelCommand implements Callable<Integer> {
    private static final String DEFAULT_PRESET = "small";

    @Spec
    private CommandSpec spec;

    @Option(names = "--summary", description = "Print each layer (timm's names for the encoder), its output shape per image and its parameters, and the totals.")
    private boolean summary;

    @Option(names = "--diagram", paramLabel = "OUT.svg|OUT.png", description = "Draw the architecture to this file, as SVG or PNG by its extension.")
    private Path diagram;

    @Option(names = "--checkpoint", paramLabel = "C.json", description = "The model of this checkpoint (its JSON; the weights are not read).")
    private Path checkpoint;

    @Option(names = "--config", paramLabel = "tiny|small|base|FILE.json",
            description = "A preset, or a model config file: a checkpoint's JSON or its 'model' object (default: " + DEFAULT_PRESET + ").")
    private String config;

    @Option(names = "--decoder", paramLabel = "attention|showtell", converter = ModelOptions.Decoder.class,
            description = "The decoder of a preset (default: attention); a file names its own.")
    private DecoderConfig.Kind decoder;

    @Override
    public Integer call() throws IOException {
        if (!summary && diagram == null) throw new ParameterException(spec.commandLine(), "nothing to do: give --summary, --diagram OUT.svg|OUT.png, or both");
        PathOptions.fileToWrite("--diagram", diagram);
        ModelConfig model = modelConfig();
        PrintWriter out = spec.commandLine().getOut();
        if (diagram != null) ArchitectureDiagram.write(model, diagram);
        if (summary) out.print(ModelSummary.of(model).table());
        if (diagram != null) out.println("wrote " + diagram);
        out.flush();
        return 0;
    }

    private ModelConfig modelConfig() throws IOException {
        if (checkpoint != null && config != null) throw new ParameterException(spec.commandLine(), "give --checkpoint or --config, not both");
        Path file = checkpoint != null ? checkpoint : config != null && config.endsWith(".json") ? Path.of(config) : null;
        if (file == null && config != null && !ModelConfig.PRESETS.contains(config)) {
            throw new ParameterException(spec.commandLine(), "--config must be " + String.join(", ", ModelConfig.PRESETS) + " or a FILE.json, not '" + config + "'");
        }
        if (file == null) return ModelConfig.preset(config != null ? config : DEFAULT_PRESET, decoder != null ? decoder : DecoderConfig.Kind.ATTENTION);
        if (decoder != null) throw new ParameterException(spec.commandLine(), "--decoder is for a preset: " + file + " names its own decoder");
        return Checkpoint.readModelConfig(file);
    }
}
