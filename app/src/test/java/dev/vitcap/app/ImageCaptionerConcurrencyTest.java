package dev.vitcap.app;

import dev.vitcap.caption.Caption;
import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.TestImages;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@link ImageCaptioner} of the demo's size serving eight threads at once: calls are gathered into
 * batches, and every caller gets exactly the caption a single-threaded call on its image returns.
 */
class ImageCaptionerConcurrencyTest {
    static final int IMAGES = 50, THREADS = 8;
    @TempDir
    static Path dir;
    static Path checkpoint;
    static final List<BufferedImage> images = new ArrayList<>();

    @BeforeAll
    static void demoSizedModelAndImages() throws Exception {
        String[] colours = {"red", "green", "blue", "yellow"}, shapes = {"circle", "square", "triangle", "star"};
        List<String> captions = new ArrayList<>();
        for (String c : colours) for (String s : shapes) captions.add("a large " + c + " " + s + " left of a small " + s);
        Vocabulary vocabulary = Vocabulary.build(captions, PtbTokenizer.instance()::tokenize, 1, DemoRecipe.model().maxLength());
        ModelConfig shape = DemoRecipe.model().withVocab(vocabulary.size());
        checkpoint = dir.resolve("model.json");
        try (Kernels k = Backends.select("cpu").kernels(); Captioner m = new Captioner(k, shape, 11)) {
            Checkpoint.save(checkpoint, m, null, vocabulary, DecodeOptions.GREEDY, null);
        }
        Random rng = new Random(3);
        for (int i = 0; i < IMAGES; i++) images.add(TestImages.discs(rng, 40));
    }

    @ParameterizedTest(name = "beam {0}")
    @ValueSource(ints = {1, 3})
    void eightThreadsGetTheSingleThreadedCaptionsInBatches(int beam) throws Exception {
        DecodeOptions decoding = DecodeOptions.beam(beam);
        ImageCaptioner.Options options = ImageCaptioner.Options.defaults().withBackend("cpu").withMaxBatch(16).withMaxWaitMillis(20);
        try (ImageCaptioner captioner = ImageCaptioner.open(checkpoint, options)) {
            List<Caption> alone = new ArrayList<>();
            for (BufferedImage img : images) alone.add(captioner.caption(img, decoding));
            ImageCaptioner.Stats single = captioner.stats();
            assertEquals(IMAGES, single.batches(), "one call at a time: one image a batch");
            assertTrue(alone.stream().map(Caption::text).distinct().count() >= 10, "the model tells the images apart, so equal captions mean something");

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Caption>> together = new ArrayList<>();
            try {
                for (BufferedImage img : images) together.add(pool.submit(() -> {
                    go.await();
                    return captioner.caption(img, decoding);
                }));
                go.countDown();
                for (int i = 0; i < IMAGES; i++) {
                    Caption a = alone.get(i), t = together.get(i).get();
                    assertEquals(a.text(), t.text(), "image " + i);
                    assertEquals(a.words(), t.words(), "image " + i);
                    assertArrayEquals(a.wordLogProbs(), t.wordLogProbs(), 1e-4f, "image " + i);
                }
            } finally {
                pool.shutdownNow();
            }
            ImageCaptioner.Stats after = captioner.stats();
            long batches = after.batches() - single.batches();
            assertEquals(2L * IMAGES, after.images());
            assertTrue(batches < IMAGES && after.largestBatch() > 1, "eight callers shared batches: " + IMAGES + " images in " + batches
                    + " batches, the largest of " + after.largestBatch());
        }
    }
}
