package dev.vitcap.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** The COCO captions JSON reader (and format detection) on any bytes: a dataset, or one line naming the file. */
class CocoCaptionsFuzzTest {
    @FuzzTest
    void readsOrRefusesInOneLine(byte[] input) throws Exception {
        AnnotationFuzzing.check("captions_val2014.json", DatasetFormat.COCO, input);
    }
}
