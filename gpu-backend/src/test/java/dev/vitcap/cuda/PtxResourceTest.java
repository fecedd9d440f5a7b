package dev.vitcap.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The committed PTX is the compilation of the committed .cu source, and holds every kernel the Java side launches. */
class PtxResourceTest {
    private static final String SOURCE = "src/main/cuda/vitcap_kernels.cu";

    @Test
    void ptxRecordsTheHashOfItsSource() throws IOException, NoSuchAlgorithmException {
        // Maven runs tests in the module's folder; a run from the repository root finds it one level down.
        Path source = Files.exists(Path.of(SOURCE)) ? Path.of(SOURCE) : Path.of("gpu-backend", SOURCE);
        assumeTrue(Files.exists(source), "the .cu source is not beside this run");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(source)));
        String firstLine = PtxModule.ptx().lines().findFirst().orElse("");
        assertEquals("// vitcap_kernels.cu sha256 " + hash, firstLine,
                "the PTX resource is stale: run bash gpu-backend/build-ptx.sh and commit its output");
    }

    @Test
    void ptxDefinesExactlyTheKernelsTheJavaSideLaunches() {
        Set<String> entries = new TreeSet<>();
        Matcher m = Pattern.compile("\\.visible \\.entry (\\w+)\\(").matcher(PtxModule.ptx());
        while (m.find()) entries.add(m.group(1));
        Set<String> launched = Arrays.stream(PtxModule.Fn.values()).map(PtxModule.Fn::entry).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(launched, entries);
    }
}
