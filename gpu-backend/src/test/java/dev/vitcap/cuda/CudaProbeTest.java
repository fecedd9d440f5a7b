package dev.vitcap.cuda;

import dev.vitcap.kernel.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaProbeTest {
    @Test
    void theProviderIsTheCudaBackendRankedAboveTheCpuOnes() {
        CudaProvider p = new CudaProvider();
        assertEquals("cuda", p.name());
        assertTrue(p.rank() > 50, "ranked above the cpu backend (50)");
    }

    @Test
    void theProbeAnswersWithAReasonAndNeverThrows() {
        long start = System.nanoTime();
        Probe p = new CudaProvider().probe();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertFalse(p.detail() == null || p.detail().isBlank(), "a probe always says why");
        assertTrue(seconds < 10, "the probe took " + seconds + " s");
        assertEquals(p, new CudaProvider().probe(), "probed once per process");
    }

    @Test
    @EnabledIf("dev.vitcap.cuda.CudaTesting#noDriverInstalled")
    void withoutADriverTheReasonNamesIt() {
        Probe p = new CudaProvider().probe();
        assertFalse(p.usable());
        assertTrue(p.detail().contains("no CUDA driver") && p.detail().contains("libcuda.so.1"), p.detail());
    }

    @Test
    @EnabledIf("dev.vitcap.cuda.CudaTesting#gpuPresent")
    void withAGpuTheDetailNamesItAndTheLibraries() {
        String detail = new CudaProvider().probe().detail();
        for (String part : new String[]{"CUDA driver", "runtime", "compute capability", "cuBLAS", "cuDNN"}) {
            assertTrue(detail.contains(part), "'" + part + "' missing from: " + detail);
        }
    }

    @Test
    void aLibraryTheLinkerCannotOpenIsNamed() {
        // The shape of the errors JavaCPP's loader throws: its own, with the linker's as the cause.
        UnsatisfiedLinkError driver = linkError("libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory");
        assertTrue(CudaSystem.loadFailure(driver).startsWith("no CUDA driver (libcuda.so.1 not found)"), CudaSystem.loadFailure(driver));
        UnsatisfiedLinkError runtime = linkError("libjnicudart.so: libcudart.so.13: cannot open shared object file: No such file or directory");
        assertTrue(CudaSystem.loadFailure(runtime).startsWith("CUDA runtime library libcudart.so.13 not found"), CudaSystem.loadFailure(runtime));
        UnsatisfiedLinkError blasLt = linkError("/x/libjnicublas.so: libcublasLt.so.13: cannot open shared object file: No such file or directory");
        assertEquals("libcublasLt.so.13 not found: add the folder that holds it to LD_LIBRARY_PATH", CudaSystem.loadFailure(blasLt));
    }

    @Test
    void otherLoadFailuresAreExplained() {
        UnsatisfiedLinkError symbol = linkError("/x/libjnicudnn.so: undefined symbol: cudnnRNNForward");
        assertTrue(CudaSystem.loadFailure(symbol).contains("lacks the symbol cudnnRNNForward"), CudaSystem.loadFailure(symbol));
        ClassNotFoundException missing = new ClassNotFoundException("org.bytedeco.cuda.global.cudart");
        assertTrue(CudaSystem.loadFailure(missing).contains("not on the class path"), CudaSystem.loadFailure(missing));
        IllegalStateException other = new IllegalStateException("cache folder not writable");
        assertTrue(CudaSystem.loadFailure(other).contains("cache folder not writable"), CudaSystem.loadFailure(other));
    }

    private static UnsatisfiedLinkError linkError(String linkerMessage) {
        UnsatisfiedLinkError outer = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib");
        outer.initCause(new UnsatisfiedLinkError(linkerMessage));
        return outer;
    }

    @Test
    void versionsAreDecoded() {
        assertEquals("13.0", CudaSystem.version(13000));
        assertEquals("12.8", CudaSystem.version(12080));
        assertEquals("9.19.0", CudaSystem.cudnnVersion(91900));
        assertEquals("9.1.12", CudaSystem.cudnnVersion(90112));
    }
}
