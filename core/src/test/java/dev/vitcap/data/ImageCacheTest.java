package dev.vitcap.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageCacheTest {
    private static final int SIZE = 16;

    @TempDir
    Path dir;

    private CaptionDataset data;
    private Path corrupt;
    private Path missing;

    /** Records what a run reports; can stop the run after a number of rows, as an interrupted run would stop. */
    private static final class Recorder implements ImageCacheWriter.Listener {
        final List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> rows = Collections.synchronizedList(new ArrayList<>());
        IntConsumer afterRow = row -> { };

        @Override
        public void skipped(Path image, String reason) {
            skipped.add(image + ": " + reason);
        }

        @Override
        public void progress(int finished, int total, int skippedSoFar) {
        }

        @Override
        public void rowFinished(int row) {
            rows.add(row);
            afterRow.accept(row);
        }
    }

    @BeforeEach
    void images() throws IOException {
        Path images = Files.createDirectory(dir.resolve("images"));
        List<CaptionDataset.Item> items = new ArrayList<>();
        String[] formats = {"png", "jpeg", "bmp", "gif", "png", "jpeg", "png", "png"};
        for (int i = 0; i < formats.length; i++) {
            Path file = images.resolve("img" + i + "." + formats[i]);
            BufferedImage image = i % 2 == 0 ? TestImages.noise(40 + i, 30 + 3 * i, i)
                    : TestImages.leftRight(50, 20 + i, BufferedImage.TYPE_INT_RGB, Color.RED, Color.CYAN);
            TestImages.write(image, formats[i], file);
            items.add(new CaptionDataset.Item("id" + i, file, List.of("caption " + i), i < 6 ? "train" : "val"));
            if (i == 2) {
                corrupt = Files.writeString(images.resolve("corrupt.jpg"), "not a picture");
                items.add(new CaptionDataset.Item("corrupt", corrupt, List.of("x"), "train"));
            }
        }
        missing = images.resolve("missing.jpg");
        items.add(4, new CaptionDataset.Item("missing", missing, List.of("y"), "val"));
        data = new CaptionDataset(items, List.of());
    }

    private ImageCacheWriter.Summary prepare(Path out, Recorder recorder, int threads) throws IOException {
        return new ImageCacheWriter(out, data, SIZE, threads, recorder).run();
    }

    @Test
    void aPreparedCacheReadsBackAsDirectDecoding() throws IOException {
        Path out = dir.resolve("cache");
        Recorder recorder = new Recorder();
        ImageCacheWriter.Summary summary = prepare(out, recorder, 3);
        assertEquals(new ImageCacheWriter.Summary(10, 8, 2, 0, true), summary);
        assertEquals(Set.of(corrupt + ": not an image format vitcap reads (JPEG, PNG, BMP, GIF)", missing + ": no such file"),
                new HashSet<>(recorder.skipped));
        assertEquals(2, recorder.skipped.size(), "each bad image is reported once");
        assertFalse(Files.exists(out.resolve(CacheFiles.PROGRESS)));

        ImageCache cache = ImageCache.open(out);
        ImagePreprocessor direct = new ImagePreprocessor(SIZE);
        PixelNormalizer normalizer = new PixelNormalizer(new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f});
        assertEquals(data.size(), cache.rows());
        assertEquals(SIZE, cache.size());
        for (int row = 0; row < data.size(); row++) {
            CaptionDataset.Item item = data.items().get(row);
            assertEquals(item, cache.item(row));
            boolean readable = !item.image().equals(corrupt) && !item.image().equals(missing);
            assertEquals(readable, cache.present(row));
            if (!readable) continue;
            byte[] expected = direct.chw8(item.image());
            byte[] cached = new byte[cache.imageValues()];
            cache.read(row, cached, 0);
            assertArrayEquals(expected, cached, "row " + row);
            float[] expectedFloats = new float[expected.length];
            normalizer.apply(expected, 0, expectedFloats, 0, SIZE * SIZE);
            float[] cachedFloats = new float[expected.length + 5];
            cache.read(row, normalizer, cachedFloats, 5);
            assertArrayEquals(expectedFloats, java.util.Arrays.copyOfRange(cachedFloats, 5, cachedFloats.length));
        }
        int absent = data.items().indexOf(data.items().stream().filter(i -> i.image().equals(missing)).findFirst().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> cache.read(absent, new byte[cache.imageValues()], 0));
        assertArrayEquals(new int[]{8, 9}, cache.presentRows("val"));
        assertEquals(8, cache.presentRows(null).length);
    }

    @Test
    void anInterruptedRunResumesWithoutRedoingRowsAndEndsLikeAnUninterruptedOne() throws IOException {
        Path whole = dir.resolve("whole");
        prepare(whole, new Recorder(), 2);

        Path resumed = dir.resolve("resumed");
        Recorder first = new Recorder();
        ImageCacheWriter interrupted = new ImageCacheWriter(resumed, data, SIZE, 1, first);
        first.afterRow = row -> {
            if (first.rows.size() == 5) interrupted.stop();
        };
        ImageCacheWriter.Summary stopped = interrupted.run();
        assertFalse(stopped.complete());
        assertEquals(5, first.rows.size());
        assertTrue(Files.exists(resumed.resolve(CacheFiles.PROGRESS)));
        assertFalse(Files.exists(resumed.resolve(CacheFiles.INDEX)));
        assertTrue(assertThrows(DatasetException.class, () -> ImageCache.open(resumed)).getMessage().contains("not finished"));

        Recorder second = new Recorder();
        ImageCacheWriter.Summary finished = prepare(resumed, second, 2);
        assertEquals(new ImageCacheWriter.Summary(10, 8, 2, 5, true), finished);
        Set<Integer> redone = new HashSet<>(second.rows);
        redone.retainAll(first.rows);
        assertEquals(Set.of(), redone, "rows done before the interruption are not decoded again");
        assertEquals(data.size(), first.rows.size() + second.rows.size());
        assertEquals(2, first.skipped.size() + second.skipped.size(), "each bad image is reported once over both runs");

        assertArrayEquals(Files.readAllBytes(whole.resolve(CacheFiles.PIXELS)), Files.readAllBytes(resumed.resolve(CacheFiles.PIXELS)));
        assertEquals(Files.readString(whole.resolve(CacheFiles.INDEX)), Files.readString(resumed.resolve(CacheFiles.INDEX)));
        assertFalse(Files.exists(resumed.resolve(CacheFiles.PROGRESS)));
    }

    @Test
    void aFinishedCacheIsReusedAndItsCaptionsRefreshed() throws IOException {
        Path out = dir.resolve("cache");
        prepare(out, new Recorder(), 2);
        List<CaptionDataset.Item> renamed = data.items().stream()
                .map(i -> new CaptionDataset.Item(i.imageId(), i.image(), List.of("new " + i.captions().get(0)), i.split())).toList();
        data = new CaptionDataset(renamed, List.of());
        Recorder again = new Recorder();
        assertEquals(new ImageCacheWriter.Summary(10, 8, 2, 10, true), prepare(out, again, 2));
        assertEquals(List.of(), again.rows);
        assertEquals(List.of(), again.skipped);
        assertEquals(List.of("new caption 0"), ImageCache.open(out).item(0).captions());
    }

    @Test
    void aCacheOfOtherImagesOrAnotherSizeIsRefused() throws IOException {
        Path out = dir.resolve("cache");
        prepare(out, new Recorder(), 2);
        DatasetException e = assertThrows(DatasetException.class, () -> new ImageCacheWriter(out, data, SIZE * 2, 1, new Recorder()).run());
        assertEquals(out.resolve(CacheFiles.INDEX) + ": this cache holds 10 images at size 16, not the 10 images at size 32 asked for; "
                + "use another --out or delete " + out, e.getMessage());
        data = data.split("val");
        assertThrows(DatasetException.class, () -> prepare(out, new Recorder(), 1));
    }

    @Test
    void openingWhatIsNoCacheSaysSo() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(empty + ": no image cache here (no index.json); make one with vitcap prepare",
                assertThrows(DatasetException.class, () -> ImageCache.open(empty)).getMessage());
        Path out = dir.resolve("cache");
        prepare(out, new Recorder(), 1);
        Files.write(out.resolve(CacheFiles.PIXELS), new byte[10]);
        assertTrue(assertThrows(DatasetException.class, () -> ImageCache.open(out)).getMessage().startsWith(out.resolve(CacheFiles.PIXELS) + ": 10 bytes, expected"));
    }

    @Test
    void readingABatchOf64PixelImagesTakesWellUnderAMillisecondPerImage() throws IOException {
        int size = 64;
        Path images = Files.createDirectory(dir.resolve("batch"));
        List<CaptionDataset.Item> items = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Path file = TestImages.write(TestImages.noise(size, size, 100 + i), "bmp", images.resolve(i + ".bmp"));
            items.add(new CaptionDataset.Item(String.valueOf(i), file, List.of(), "train"));
        }
        Path out = dir.resolve("cache64");
        new ImageCacheWriter(out, new CaptionDataset(items, List.of()), size, 2, new Recorder()).run();
        ImageCache cache = ImageCache.open(out);
        PixelNormalizer normalizer = new PixelNormalizer(new float[]{0.5f, 0.5f, 0.5f}, new float[]{0.5f, 0.5f, 0.5f});
        int[] batch = cache.presentRows("train");
        float[] floats = new float[batch.length * cache.imageValues()];
        int batches = 300;
        for (int i = 0; i < batches; i++) cache.readBatch(batch, normalizer, floats);
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) cache.readBatch(batch, normalizer, floats);
        double microsPerImage = (System.nanoTime() - start) / 1e3 / batches / batch.length;
        System.out.printf("ImageCache: %.2f µs per 64×64 image in batches of %d%n", microsPerImage, batch.length);
        assertTrue(microsPerImage < 250, microsPerImage + " µs per image");
    }
}
