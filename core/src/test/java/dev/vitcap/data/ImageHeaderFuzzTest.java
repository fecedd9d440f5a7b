package dev.vitcap.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary bytes through the image reading that {@code caption}, {@code prepare} and the server share
 * ({@link ImagePreprocessor#chw8(byte[], String)}: format detection, the limits, the header checks,
 * the subsampled decode). Each input must give an image or one of vitcap's own refusals in one line;
 * any other exception, an OutOfMemoryError or StackOverflowError, or a read longer than 10 s is a
 * finding. A plain test run replays the seeds in {@code ImageHeaderFuzzTestInputs} (small PNG, JPEG,
 * GIF and BMP files of each kind, cut and whole) and the findings kept under its
 * {@code readsOrRefusesInOneLine} folder (a BMP holding a JPEG, whose reader allocated the 2 GB its
 * header claimed). {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}; with
 * {@code JAZZER_INSTRUMENT='com.twelvemonkeys.**,dev.vitcap.**'} the JPEG reader's branches guide it too
 * (the JDK's own readers are not instrumented).
 */
class ImageHeaderFuzzTest {
    private static final int SIZE = 32;
    /** Small limits keep every decode to milliseconds, so that a slow input is a hang rather than a large image. */
    private static final ImagePreprocessor PREPROCESSOR = new ImagePreprocessor(SIZE, ImageLimits.defaults()
            .withMaxPixels(4_000_000).withMaxFileBytes(1 << 20).withMaxTextBytes(1 << 20).withMaxDecoderBytes(32 << 20));

    @FuzzTest(maxDuration = "10s")
    void readsOrRefusesInOneLine(byte[] encoded) {
        // The read runs on its own thread with a time bound (JUnit's @Timeout would bound the whole
        // fuzzing run instead of each input); any other throwable comes back here as thrown.
        Object result = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> read(encoded), "no answer in 10 s");
        if (result instanceof UnreadableImageException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith("upload: ") && !e.reason().isBlank(), message);
            assertFalse(message.contains("\n") || message.contains("Exception") || message.contains("java."), message);
        } else {
            assertEquals(3 * SIZE * SIZE, ((byte[]) result).length);
        }
    }

    /** The pixels, or the refusal. */
    private static Object read(byte[] encoded) {
        try {
            return PREPROCESSOR.chw8(encoded, "upload");
        } catch (UnreadableImageException e) {
            return e;
        }
    }
}
