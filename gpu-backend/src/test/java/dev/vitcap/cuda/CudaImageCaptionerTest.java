package dev.vitcap.cuda;

import dev.vitcap.caption.Caption;
import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java API (and so the server, which captions through it) on the cuda backend: callers on several
 * threads at once are batched onto the one model thread, which drives the GPU from a thread other than
 * the one that opened it, and each gets the caption the reference backend gives that image alone.
 */
@EnabledIf("dev.vitcap.cuda.CudaTesting#gpuPresent")
class CudaImageCaptionerTest {
    private static final int CALLERS = 3, IMAGES_EACH = 2;
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void concurrentCallersAreBatchedAndGetTheReferenceCaptions(int beam) throws Exception {
        Path checkpoint = tinyCheckpoint(DecodeOptions.beam(beam));
        List<BufferedImage> images = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < CALLERS * IMAGES_EACH; i++) images.add(noise(32, random));
        List<Caption> expected = new ArrayList<>();
        try (ImageCaptioner reference = ImageCaptioner.open(checkpoint, ImageCaptioner.Options.defaults().withBackend("reference"))) {
            for (BufferedImage image : images) expected.add(reference.caption(image));
        }
        // A long wait for more: the callers' images arrive within it and go to the GPU as one batch.
        ImageCaptioner.Options onGpu = ImageCaptioner.Options.defaults().withBackend("cuda").withMaxWaitMillis(2000);
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try (ImageCaptioner cuda = ImageCaptioner.open(checkpoint, onGpu)) {
            assertEquals("cuda", cuda.backend());
            List<CompletableFuture<Caption>> captions = new ArrayList<>();
            for (BufferedImage image : images) captions.add(CompletableFuture.supplyAsync(() -> cuda.caption(image), callers));
            for (int i = 0; i < images.size(); i++) {
                Caption want = expected.get(i), got = captions.get(i).get();
                assertEquals(want.words(), got.words(), "image " + i);
                assertEquals(want.logProb(), got.logProb(), 1e-4 * Math.max(1, Math.abs(want.logProb())), "image " + i);
            }
            assertTrue(cuda.stats().largestBatch() > 1, "the calls were batched: " + cuda.stats());
        } finally {
            callers.shutdownNow();
        }
    }

    /** The {@code tiny} model, freshly initialised, saved with a vocabulary of its size and this default decoding. */
    private Path tinyCheckpoint(DecodeOptions decoding) throws Exception {
        ModelConfig cfg = ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION);
        List<String> words = new ArrayList<>();
        for (int w = 4; w < cfg.decoder().vocab(); w++) words.add("w" + w);
        Vocabulary vocabulary = Vocabulary.build(List.of(String.join(" ", words)), PtbTokenizer.instance()::tokenize, 1, cfg.maxLength());
        Path json = dir.resolve("tiny-" + decoding.beam() + ".json");
        try (ReferenceKernels k = new ReferenceKernels(); Captioner model = new Captioner(k, cfg.withVocab(vocabulary.size()), 3)) {
            Checkpoint.save(json, model, null, vocabulary, decoding, null);
        }
        return json;
    }

    private static BufferedImage noise(int side, Random random) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) image.setRGB(x, y, random.nextInt(1 << 24));
        return image;
    }
}
