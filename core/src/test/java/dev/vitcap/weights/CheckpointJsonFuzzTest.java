package dev.vitcap.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.model.WeightSource;
import dev.vitcap.testing.ReaderContract;
import dev.vitcap.train.TrainingState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint's JSON on any bytes, beside a weights file of one small tensor (the seeds in
 * CheckpointJsonFuzzTestInputs name it, with its size): a checkpoint and its training state, or one
 * line naming the JSON or the weights file. The same bytes as a model config ({@code model --config}).
 */
class CheckpointJsonFuzzTest {
    /** The weights file the seeds name; its size, {@value #WEIGHTS_BYTES} bytes, is in them too. */
    static final String WEIGHTS = "w.safetensors";
    static final long WEIGHTS_BYTES = 80;
    private static final Path weights = weights();

    private static Path weights() {
        try {
            Path file = ReaderContract.scratch().resolve(WEIGHTS);
            SafeTensors.write(file, Map.of("encoder.w", new WeightSource(new int[]{2}, new float[]{0.5f, -1})), Map.of());
            if (Files.size(file) != WEIGHTS_BYTES) throw new IllegalStateException("the seeds' weights_bytes no longer match " + Files.size(file));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void loadsOrRefusesInOneLine(byte[] input) throws Exception {
        Path json = ReaderContract.write("ck.json", input);
        ReaderContract.check(json, FileFormatException.class, file -> {
            Checkpoint c = Checkpoint.load(file);
            if (c.training() != null) TrainingState.fromJson(c.training(), file.toString());
        }, json, weights);
        ReaderContract.check(json, FileFormatException.class, Checkpoint::readModelConfig);
    }
}
