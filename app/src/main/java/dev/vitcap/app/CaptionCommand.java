package dev.vitcap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vitcap.caption.Caption;
import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.ImageFormats;
import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.serve.CaptionJson;
import dev.vitcap.weights.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code vitcap caption}: one caption per image, for image files or every image in folders, through {@link ImageCaptioner}. */
@Command(name = "caption", mixinStandardHelpOptions = true,
        description = "Caption images (JPEG, PNG, BMP, GIF): prints 'FILE<TAB>caption' per image, or JSON with --json.")
final class CaptionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Mixin
    DecodingOptions decodingOptions;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR")
    List<Path> inputs;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE.json")
    Path checkpoint;

    @Option(names = "--json", description = "Print [{\"image\": FILE, \"caption\": TEXT, \"words\": [...], \"log_prob\": P, \"ended\": B, \"alternatives\": [...]}], as the HTTP API does.")
    boolean json;

    @Option(names = "--attention-maps", paramLabel = "DIR", description = "Write, per image, a PNG with one attention heat map per word.")
    Path attentionMaps;

    @Option(names = "--batch", defaultValue = "32", converter = Ranges.MaxBatch.class, description = "Images captioned together, at least 1 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws IOException {
        decodingOptions.check();
        PathOptions.folderToWrite("--attention-maps", attentionMaps);
        if (attentionMaps != null && Checkpoint.readModelConfig(checkpoint).decoder().kind() == DecoderConfig.Kind.SHOWTELL) {
            throw new ParameterException(spec.commandLine(), "--attention-maps: " + checkpoint + " has a show-and-tell decoder, which has no attention to draw");
        }
        List<Path> files = imageFiles(inputs);
        int failed = 0;
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode results = mapper.createArrayNode();
        try (ImageCaptioner captioner = ImageCaptioner.open(checkpoint, ImageCaptioner.Options.defaults().withBackend(backend.name).withMaxBatch(batch))) {
            DecodeOptions decoding = decodingOptions.decoding(captioner.defaultDecoding()).withAttention(attentionMaps != null);
            ImagePreprocessor asSeen = new ImagePreprocessor(captioner.imageSize());
            for (ImageCaptioner.FileCaption r : captioner.captionFiles(files, decoding)) {
                if (!r.ok()) {
                    System.err.println("skipped " + r.error());
                    failed++;
                    continue;
                }
                Caption c = r.caption();
                if (json) {
                    CaptionJson.write(c, results.addObject().put("image", r.file().toString()));
                } else {
                    System.out.println(r.file() + "\t" + c.text());
                }
                if (attentionMaps != null) {
                    AttentionMaps.write(c, asSeen.chw8(r.file()), captioner.imageSize(), attentionMaps.resolve(AttentionMaps.fileName(r.file())));
                }
            }
        }
        if (json) System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        return failed == 0 ? 0 : 1;
    }

    /** The given files, and the image files (by extension, sorted) in the given folders. */
    static List<Path> imageFiles(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (var list = Files.list(in)) {
                    list.filter(p -> ImageFormats.mediaType(p) != null).sorted().forEach(files::add);
                }
            } else if (Files.exists(in)) {
                files.add(in);
            } else {
                throw new NoSuchFileException(in.toString());
            }
        }
        if (files.isEmpty()) throw new IOException(inputs.stream().map(Path::toString).collect(Collectors.joining(", ")) + ": no images here (JPEG, PNG, BMP or GIF files)");
        return files;
    }
}
