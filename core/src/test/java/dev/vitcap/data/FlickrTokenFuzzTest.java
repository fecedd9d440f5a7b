package dev.vitcap.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** The Flickr8k token file reader (and format detection) on any bytes: a dataset, or one line naming the file. */
class FlickrTokenFuzzTest {
    @FuzzTest
    void readsOrRefusesInOneLine(byte[] input) throws Exception {
        AnnotationFuzzing.check("Flickr8k.token.txt", DatasetFormat.FLICKR_TOKEN, input);
    }
}
