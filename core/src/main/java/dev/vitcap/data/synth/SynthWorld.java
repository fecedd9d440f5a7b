package dev.vitcap.data.synth;

import dev.vitcap.io.AtomicFiles;
import dev.vitcap.settings.Range;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generates a world into a directory ({@link SynthFiles} has the layout). Everything about image
 * {@code i} of a split comes from random streams seeded by (seed, split, i), so the same arguments give
 * the same bytes whatever the order the images are drawn in; images are drawn in parallel.
 */
public final class SynthWorld {
    /** Image sides in pixels (at 16 a small object is still a few pixels across), and images per split. */
    public static final Range SIZE = Range.between(16, 1024), COUNT = Range.atLeast(0);

    /** What to generate: where, how many images per split, their side in pixels, and the seed. */
    public record Spec(Path out, int train, int val, int test, int size, long seed) {
        public Spec {
            SIZE.check("size", size);
            COUNT.check("train", train);
            COUNT.check("val", val);
            COUNT.check("test", test);
            if ((long) train + val + test == 0) throw new IllegalArgumentException("nothing to generate: every split has 0 images");
        }

        public int count(Split split) {
            return switch (split) {
                case TRAIN -> train;
                case VAL -> val;
                case TEST -> test;
            };
        }
    }

    /** What was written. */
    public record Summary(int images, int captions) {
    }

    /** The random streams drawn per image; a stream's draws never shift another's. */
    private enum Stream {
        SCENE, CAPTIONS
    }

    private SynthWorld() {
    }

    /** Image ids within a split count from 1. */
    public static int imageId(int index) {
        return index + 1;
    }

    /** Scene {@code index} (0-based) of a split. */
    public static Scene scene(long seed, Split split, int index, int size) {
        return SceneSampler.sample(imageId(index), size, random(seed, split, index, Stream.SCENE));
    }

    /** The reference captions of scene {@code index} of a split. */
    public static List<String> references(long seed, Split split, int index, Scene scene) {
        return CaptionGrammar.references(scene, random(seed, split, index, Stream.CAPTIONS));
    }

    public static Summary generate(Spec spec) throws IOException {
        int images = 0;
        int captions = 0;
        for (Split split : Split.values()) {
            Path imageDir = SynthFiles.imageDir(spec.out(), split);
            Files.createDirectories(imageDir);
            List<Drawn> drawn;
            try {
                drawn = IntStream.range(0, spec.count(split)).parallel()
                        .mapToObj(index -> draw(spec, split, index, imageDir)).toList();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writeSplit(spec, split, drawn);
            images += drawn.size();
            captions += drawn.stream().mapToInt(image -> image.references().size()).sum();
        }
        return new Summary(images, captions);
    }

    /** A scene whose image is written, with its captions. */
    private record Drawn(Scene scene, List<String> references) {
    }

    private static Drawn draw(Spec spec, Split split, int index, Path imageDir) {
        Scene scene = scene(spec.seed(), split, index, spec.size());
        writePng(scene, imageDir.resolve(SynthFiles.fileName(scene.imageId())));
        return new Drawn(scene, references(spec.seed(), split, index, scene));
    }

    private static void writePng(Scene scene, Path file) {
        try {
            Files.write(file, PngEncoder.encode(SceneRenderer.render(scene)));
        } catch (IOException e) {
            throw new UncheckedIOException(AtomicFiles.naming(file, e));
        }
    }

    private static void writeSplit(Spec spec, Split split, List<Drawn> drawn) throws IOException {
        List<Scene> scenes = new ArrayList<>();
        List<SynthFiles.Image> images = new ArrayList<>();
        List<SynthFiles.Annotation> annotations = new ArrayList<>();
        for (Drawn image : drawn) {
            Scene scene = image.scene();
            scenes.add(scene);
            images.add(new SynthFiles.Image(scene.imageId(), SynthFiles.fileName(scene.imageId()), scene.width(), scene.height()));
            for (String caption : image.references()) {
                annotations.add(new SynthFiles.Annotation(annotations.size() + 1, scene.imageId(), caption));
            }
        }
        SynthFiles.Info info = new SynthFiles.Info("vitcap synthetic world", split.word(), spec.size(), spec.seed());
        SynthFiles.write(SynthFiles.scenes(spec.out(), split), new SynthFiles.Scenes(split.word(), scenes));
        SynthFiles.write(SynthFiles.annotations(spec.out(), split), new SynthFiles.Captions(info, images, annotations));
    }

    private static SplittableRandom random(long seed, Split split, int index, Stream stream) {
        long state = mix(seed);
        for (long part : new long[] {split.ordinal(), index, stream.ordinal()}) state = mix(state + 0x9E3779B97F4A7C15L + part);
        return new SplittableRandom(state);
    }

    /** SplitMix64's finaliser: nearby inputs give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
