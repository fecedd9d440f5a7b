package dev.vitcap.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** The Karpathy split JSON reader (and format detection) on any bytes: a dataset, or one line naming the file. */
class KarpathySplitFuzzTest {
    @FuzzTest
    void readsOrRefusesInOneLine(byte[] input) throws Exception {
        AnnotationFuzzing.check("dataset_coco.json", DatasetFormat.KARPATHY, input);
    }
}
