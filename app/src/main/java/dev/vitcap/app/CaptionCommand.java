package dev.vitcap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.PixelNormalizer;
import dev.vitcap.data.UnreadableImageException;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.VitConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vitcap caption}: one caption per image, for image files or every image in folders. */
@Command(name = "caption", mixinStandardHelpOptions = true,
        description = "Caption images (JPEG, PNG, BMP, GIF): prints 'FILE<TAB>caption' per image, or JSON with --json.")
final class CaptionCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend;

    @Mixin
    DecodingOptions decodingOptions;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR")
    List<Path> inputs;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE.json")
    Path checkpoint;

    @Option(names = "--json", description = "Print [{\"image\": FILE, \"caption\": TEXT}].")
    boolean json;

    @Option(names = "--attention-maps", paramLabel = "DIR", description = "Write, per image, a PNG with one attention heat map per word.")
    Path attentionMaps;

    @Option(names = "--batch", defaultValue = "32", description = "Images captioned together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws IOException {
        List<Path> files = imageFiles(inputs);
        int failed = 0;
        ArrayNode results = new ObjectMapper().createArrayNode();
        try (LoadedModel m = LoadedModel.open(checkpoint, backend)) {
            VitConfig vit = m.model().config.encoder();
            ImagePreprocessor pre = new ImagePreprocessor(vit.imageHeight());
            PixelNormalizer normalizer = new PixelNormalizer(vit.mean(), vit.std());
            int values = vit.channels() * vit.imageHeight() * vit.imageWidth();
            for (int from = 0; from < files.size(); from += batch) {
                List<Path> ok = new ArrayList<>();
                List<byte[]> pixels = new ArrayList<>();
                for (Path f : files.subList(from, Math.min(files.size(), from + batch))) {
                    try {
                        pixels.add(pre.chw8(f));
                        ok.add(f);
                    } catch (UnreadableImageException e) {
                        System.err.println("skipped " + e.getMessage());
                        failed++;
                    }
                }
                if (ok.isEmpty()) continue;
                float[] images = new float[ok.size() * values];
                for (int i = 0; i < ok.size(); i++) normalizer.apply(pixels.get(i), 0, images, i * values, vit.imageHeight() * vit.imageWidth());
                int[][] words;
                try (Tensor img = m.kernels().upload(images, ok.size(), vit.channels(), vit.imageHeight(), vit.imageWidth())) {
                    words = decodingOptions.decoding(m.vocabulary()).run(m.model(), img, ok.size());
                }
                for (int i = 0; i < ok.size(); i++) {
                    String caption = m.vocabulary().decode(words[i]);
                    if (json) results.addObject().put("image", ok.get(i).toString()).put("caption", caption);
                    else System.out.println(ok.get(i) + "\t" + caption);
                    if (attentionMaps != null) {
                        float[] one = Arrays.copyOfRange(images, i * values, (i + 1) * values);
                        AttentionMaps.write(m.model(), m.vocabulary(), one, pixels.get(i), words[i],
                                attentionMaps.resolve(AttentionMaps.fileName(ok.get(i))));
                    }
                }
            }
        }
        if (json) System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
        return failed == 0 ? 0 : 1;
    }

    /** The given files, and the image files (by extension, sorted) in the given folders. */
    static List<Path> imageFiles(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (var list = Files.list(in)) {
                    list.filter(p -> AttentionMaps.extensions().contains(extension(p))).sorted().forEach(files::add);
                }
            } else if (Files.exists(in)) {
                files.add(in);
            } else {
                throw new NoSuchFileException(in.toString());
            }
        }
        if (files.isEmpty()) throw new IOException("no images in " + inputs);
        return files;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
