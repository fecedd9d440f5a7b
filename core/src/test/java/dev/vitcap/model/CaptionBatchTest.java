package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a right-to-left decoder reads: each caption's words reversed, {@code <start>}, {@code <end>} and padding where they were. */
class CaptionBatchTest {
    static final int PAD = 0, START = 1, END = 2;

    @Test
    void reversedCaptionsKeepStartEndAndPaddingInPlace() {
        int[][] captions = {{START, 5, 6, 7, END, PAD, PAD}, {START, 8, END, PAD, PAD, PAD, PAD}, {START, END, PAD, PAD, PAD, PAD, PAD},
                {START, 4, 5, 6, 7, 8, END}};
        int[][] expected = {{START, 7, 6, 5, END, PAD, PAD}, {START, 8, END, PAD, PAD, PAD, PAD}, {START, END, PAD, PAD, PAD, PAD, PAD},
                {START, 8, 7, 6, 5, 4, END}};
        int[][] reversed = CaptionBatch.reverseWords(captions, PAD);
        for (int b = 0; b < captions.length; b++) assertArrayEquals(expected[b], reversed[b]);
        assertArrayEquals(new int[]{START, 5, 6, 7, END, PAD, PAD}, captions[0], "the input is left as it was");
        Kernels k = new ReferenceKernels();
        try (Arena a = new Arena(k)) {
            CaptionBatch onBackend = CaptionBatch.of(a, captions, PAD).reversed(a), direct = CaptionBatch.of(a, expected, PAD);
            assertArrayEquals(k.downloadInts(direct.inputs()), k.downloadInts(onBackend.inputs()));
            assertArrayEquals(k.downloadInts(direct.targets()), k.downloadInts(onBackend.targets()));
            assertArrayEquals(k.download(direct.real()), k.download(onBackend.real()));
            assertEquals(direct.realCount(), onBackend.realCount());
        }
    }
}
