package dev.vitcap.metrics;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vitcap.testing.ReaderContract;

import java.nio.file.Path;

/** The files {@code vitcap score} reads, on any bytes: as results, as references (with and without a split), or one line naming the file. */
class CaptionFilesFuzzTest {
    @FuzzTest
    void readsOrRefusesInOneLine(byte[] input) throws Exception {
        Path file = ReaderContract.write("captions.json", input);
        ReaderContract.check(file, CaptionFileException.class, CaptionFiles::readResults);
        ReaderContract.check(file, CaptionFileException.class, f -> CaptionFiles.readReferences(f, null));
        ReaderContract.check(file, CaptionFileException.class, f -> CaptionFiles.readReferences(f, "test"));
    }
}
