package dev.vitcap.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrecisionTest {
    @Test
    void parsesTheOptionsNamesInAnyCase() {
        for (Precision p : Precision.values()) {
            assertEquals(p, Precision.parse(p.toString()));
            assertEquals(p, Precision.parse(" " + p.name() + " "));
        }
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
        assertTrue(e.getMessage().contains("'fp16'") && e.getMessage().contains("fp32, tf32, bf16"), e.getMessage());
    }

    @Test
    void systemPropertiesChooseTheOptions() {
        String[] keys = {Precision.PROPERTY, CudaOptions.CUDNN_PROPERTY, CudaOptions.SYNC_PROPERTY};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) saved[i] = System.getProperty(keys[i]);
        try {
            for (String key : keys) System.clearProperty(key);
            assertEquals(CudaOptions.defaults(), CudaOptions.fromSystemProperties());
            System.setProperty(Precision.PROPERTY, "TF32");
            System.setProperty(CudaOptions.CUDNN_PROPERTY, "false");
            System.setProperty(CudaOptions.SYNC_PROPERTY, "true");
            assertEquals(new CudaOptions(Precision.TF32, false, true), CudaOptions.fromSystemProperties());
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) System.clearProperty(keys[i]);
                else System.setProperty(keys[i], saved[i]);
            }
        }
    }
}
