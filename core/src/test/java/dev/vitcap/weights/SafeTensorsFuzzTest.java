package dev.vitcap.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.testing.ReaderContract;

/** The safetensors reader on any bytes: tensors, or one line naming the file (seeds in SafeTensorsFuzzTestInputs). */
class SafeTensorsFuzzTest {
    @FuzzTest
    void readsOrRefusesInOneLine(byte[] input) throws Exception {
        ReaderContract.check(ReaderContract.write("weights.safetensors", input), FileFormatException.class, SafeTensors::read);
    }
}
