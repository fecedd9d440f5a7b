package dev.vitcap.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** The JSON Lines reader (and format detection) on any bytes: a dataset, or one line naming the file. */
class JsonlCaptionsFuzzTest {
    @FuzzTest
    void readsOrRefusesInOneLine(byte[] input) throws Exception {
        AnnotationFuzzing.check("captions.jsonl", DatasetFormat.JSONL, input);
    }
}
