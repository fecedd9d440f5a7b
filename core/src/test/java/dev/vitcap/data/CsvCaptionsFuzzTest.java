package dev.vitcap.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** The CSV reader (and format detection) on any bytes: a dataset, or one line naming the file. */
class CsvCaptionsFuzzTest {
    @FuzzTest
    void readsOrRefusesInOneLine(byte[] input) throws Exception {
        AnnotationFuzzing.check("captions.csv", DatasetFormat.CSV, input);
    }
}
