package dev.vitcap.model;

import dev.vitcap.kernel.ReferenceKernels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sine-cosine position table says each patch's row and column, apart, and a model built with it starts from it. */
class PositionInitTest {
    static final int ROWS = 3, COLS = 4, DIM = 16;

    @Test
    void halfOfEachTokenIsItsColumnAndHalfItsRow() {
        float[] table = new Init.SinCos2d(ROWS, COLS, DIM, true).draw((1 + ROWS * COLS) * DIM, null);
        assertArrayEquals(new float[DIM], Arrays.copyOfRange(table, 0, DIM), "the class token has no position");
        for (int a = 0; a < ROWS * COLS; a++) {
            for (int b = 0; b < ROWS * COLS; b++) {
                float[] ta = token(table, a), tb = token(table, b);
                boolean sameColumn = a % COLS == b % COLS, sameRow = a / COLS == b / COLS;
                assertEquals(sameColumn, Arrays.equals(Arrays.copyOfRange(ta, 0, DIM / 2), Arrays.copyOfRange(tb, 0, DIM / 2)), a + " vs " + b);
                assertEquals(sameRow, Arrays.equals(Arrays.copyOfRange(ta, DIM / 2, DIM), Arrays.copyOfRange(tb, DIM / 2, DIM)), a + " vs " + b);
            }
        }
        // Each sine and its cosine lie on the unit circle: the table is as strong at every position.
        float[] t = token(table, ROWS * COLS - 1);
        for (int i = 0; i < DIM / 4; i++) assertEquals(1, t[i] * t[i] + t[DIM / 4 + i] * t[DIM / 4 + i], 1e-6);
    }

    @Test
    void aModelBuiltWithItStartsFromItAndTimmsStaysTheDefault() {
        VitConfig timm = VitConfig.builder().image(ROWS * 8, COLS * 8).patch(8).dim(DIM).depth(1).heads(2).mlp(32).build();
        assertEquals(PositionInit.TRUNC_NORMAL, timm.posInit());
        VitConfig sincos = timm.toBuilder().posInit(PositionInit.SINCOS).build();
        assertFalse(sincos.equals(timm));
        try (ReferenceKernels k = new ReferenceKernels()) {
            float[] start = posEmbed(k, sincos);
            assertArrayEquals(new Init.SinCos2d(ROWS, COLS, DIM, true).draw(start.length, null), start);
            for (float v : posEmbed(k, timm)) assertTrue(Math.abs(v) <= 0.04f, "timm's table lies within two deviations of 0.02, not " + v);
        }
    }

    @Test
    void aWidthThatIsNotAMultipleOfFourIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> VitConfig.builder().image(16).patch(8).dim(6).depth(1).heads(2).mlp(8).posInit(PositionInit.SINCOS).build());
        assertEquals("a sine-cosine position table needs embed_dim a multiple of 4, not 6", e.getMessage());
    }

    private static float[] posEmbed(ReferenceKernels k, VitConfig vit) {
        ModelConfig model = new ModelConfig(vit, DecoderConfig.builder(DecoderConfig.Kind.ATTENTION).vocab(9).emb(8).hidden(8).att(8).build(), 5);
        try (Captioner m = new Captioner(k, model, 1)) {
            return k.download(m.parameters().stream().filter(p -> p.name().equals("encoder.pos_embed")).findFirst().orElseThrow().param().value());
        }
    }

    private static float[] token(float[] table, int patch) {
        return Arrays.copyOfRange(table, (1 + patch) * DIM, (2 + patch) * DIM);
    }
}
