package dev.vitcap.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** How {@link Backends} treats the cuda backend, with the real provider found on the class path. */
class CudaBackendChoiceTest {
    private static Backends.Candidate cuda() {
        return Backends.candidates().stream().filter(c -> c.name().equals("cuda")).findFirst()
                .orElseThrow(() -> new AssertionError("cuda is not registered in META-INF/services"));
    }

    @Test
    void cudaIsFoundAndRankedFirst() {
        List<Backends.Candidate> all = Backends.candidates();
        assertEquals("cuda", all.get(0).name(), "highest rank first");
        assertEquals(100, cuda().provider().rank());
    }

    @Test
    void forcingCudaWhereItCannotRunIsAnErrorThatSaysWhy() {
        assumeFalse(cuda().probe().usable(), "cuda runs here");
        for (String[] how : new String[][]{{"cuda", null, "--backend"}, {null, "CUDA", "VITCAP_BACKEND"}}) {
            Map<String, String> env = how[1] == null ? Map.of() : Map.of(Backends.ENVIRONMENT, how[1]);
            BackendException e = assertThrows(BackendException.class, () -> Backends.choose(how[0], env::get, Backends.candidates()));
            assertTrue(e.getMessage().contains("'cuda'") && e.getMessage().contains(how[2]) && e.getMessage().contains(cuda().probe().detail()),
                    e.getMessage());
        }
    }

    @Test
    void unforcedTheHighestRankedUsableBackendIsChosen() {
        Backends.Candidate expected = Backends.candidates().stream().filter(c -> c.probe().usable()).findFirst().orElseThrow();
        Backends.Selection s = Backends.choose(null, name -> null, Backends.candidates());
        try (Kernels k = s.kernels()) {
            assertEquals(expected.name(), s.chosen().name());
            assertEquals(expected.name(), k.name());
            if (!cuda().probe().usable()) {
                assertTrue(s.summary().contains("cuda skipped: " + cuda().probe().detail()), s.summary());
            }
        }
    }
}
