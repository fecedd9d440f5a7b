package dev.vitcap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.CaptionDataset;
import dev.vitcap.data.DatasetFormat;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.eval.Evaluation;
import dev.vitcap.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vitcap evaluate}: captions a dataset's split with a checkpoint and scores it by the COCO
 * metrics; on a synthetic world (its scenes beside the annotations) also by truthfulness.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Caption a dataset with a checkpoint and print BLEU-1..4, ROUGE-L, CIDEr-D (and truthfulness on a synthetic world).")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend;

    @Mixin
    DecodingOptions decodingOptions;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE.json")
    Path checkpoint;

    @Option(names = "--annotations", required = true, paramLabel = "FILE")
    Path annotations;

    @Option(names = "--images", required = true, paramLabel = "DIR")
    Path images;

    @Option(names = "--split", description = "Only this split of the annotations (train, val, test).")
    String split;

    @Option(names = "--scenes", paramLabel = "FILE", description = "Synthetic scenes for truthfulness (default: found beside synthetic annotations).")
    Path scenes;

    @Option(names = "--results", paramLabel = "FILE", description = "Write the captions in the COCO results format.")
    Path results;

    @Option(names = "--json", description = "Print the metrics as one JSON object.")
    boolean json;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws IOException {
        print(evaluate(), json);
        return 0;
    }

    /** Captions the dataset, writes the results file if asked, and returns the corpus metrics. */
    Map<String, Double> evaluate() throws IOException {
        decodingOptions.check();
        PathOptions.folder("--images", images);
        PathOptions.fileToWrite("--results", results);
        CaptionDataset all = DatasetFormat.detect(annotations).read(annotations, images);
        all.emptyCaptions().forEach(e -> System.err.println("dropped " + e));
        CaptionDataset data = split == null ? all : all.split(split);
        if (data.size() == 0) throw new IOException(annotations + ": no images" + (split == null ? "" : " in split '" + split + "' (splits: " + all.splits() + ")"));
        try (ImageCaptioner captioner = ImageCaptioner.open(checkpoint, ImageCaptioner.Options.defaults().withBackend(backend.name).withMaxBatch(64))) {
            Evaluation.Result r = Evaluation.run(captioner, data, decodingOptions.decoding(captioner.defaultDecoding()),
                    Evaluation.truthfulness(scenes != null ? scenes : SynthFiles.scenesBeside(annotations)), line -> System.err.println("skipped " + line));
            if (results != null) writeResults(results, r.ids(), r.captions());
            return r.metrics();
        }
    }

    /** The COCO results format: {@code [{"image_id", "caption"}]}, numeric ids kept numeric. */
    static void writeResults(Path file, List<String> ids, List<String> captions) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        for (int i = 0; i < ids.size(); i++) {
            ObjectNode o = array.addObject();
            String id = ids.get(i);
            if (id.matches("-?\\d{1,18}")) o.put("image_id", Long.parseLong(id));
            else o.put("image_id", id);
            o.put("caption", captions.get(i));
        }
        AtomicFiles.writeString(file, JSON.writeValueAsString(array));
    }

    static void print(Map<String, Double> metrics, boolean json) throws IOException {
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(metrics));
            return;
        }
        metrics.forEach((k, v) -> System.out.printf("%-14s %.4f%n", k, v));
    }
}
