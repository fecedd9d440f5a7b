package dev.vitcap.tune;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.testing.ReaderContract;

import java.nio.file.Path;

/** The search space's reader on any bytes: a space, or one line naming the file. */
class SpaceFuzzTest {
    @FuzzTest
    void readsOrRefusesInOneLine(byte[] input) throws Exception {
        Path file = ReaderContract.write("space.json", input);
        ReaderContract.check(file, FileFormatException.class, Space::read);
    }
}
