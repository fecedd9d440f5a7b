package dev.vitcap.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsTest {
    /** A backend that is what the test says it is. */
    private record Fake(String name, int rank, Probe probe) implements BackendProvider {
        @Override
        public Kernels open() {
            return new ReferenceKernels();
        }
    }

    private static final Backends.Candidate FAST_BROKEN = candidate(new Fake("gpu", 100, Probe.unusable("no driver")));
    private static final Backends.Candidate CPU = candidate(new Fake("cpu", 50, Probe.usable("fast")));
    private static final Backends.Candidate REF = candidate(new Fake("reference", 0, Probe.usable("slow")));
    private static final List<Backends.Candidate> ALL = List.of(FAST_BROKEN, CPU, REF);

    private static Backends.Candidate candidate(BackendProvider p) {
        return new Backends.Candidate(p, p.probe());
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(Backends.PROPERTY);
    }

    @Test
    void picksTheHighestRankedUsableAndSaysWhyOthersWereSkipped() {
        Backends.Selection s = Backends.choose(null, Map.<String, String>of()::get, ALL);
        assertEquals("cpu", s.chosen().name());
        assertTrue(s.summary().contains("gpu skipped: no driver"), s.summary());
        assertTrue(s.summary().contains("reference usable"), s.summary());
    }

    @Test
    void optionBeatsPropertyBeatsEnvironment() {
        Map<String, String> env = Map.of(Backends.ENVIRONMENT, "cpu");
        assertEquals("cpu", Backends.choose(null, env::get, ALL).chosen().name());
        System.setProperty(Backends.PROPERTY, "reference");
        Backends.Selection byProperty = Backends.choose(null, env::get, ALL);
        assertEquals("reference", byProperty.chosen().name());
        assertTrue(byProperty.why().contains("-Dvitcap.backend"));
        System.setProperty(Backends.PROPERTY, "nonsense");
        assertEquals("cpu", Backends.choose("CPU", env::get, ALL).chosen().name());
    }

    @Test
    void forcingAnUnusableBackendIsAnErrorNotAFallback() {
        BackendException e = assertThrows(BackendException.class, () -> Backends.choose("gpu", k -> null, ALL));
        assertTrue(e.getMessage().contains("unusable") && e.getMessage().contains("no driver"), e.getMessage());
        BackendException unknown = assertThrows(BackendException.class,
                () -> Backends.choose(null, Map.of(Backends.ENVIRONMENT, "tpu")::get, ALL));
        assertTrue(unknown.getMessage().contains("unknown backend 'tpu'") && unknown.getMessage().contains(Backends.ENVIRONMENT));
    }

    @Test
    void aThrowingProbeMakesAnUnusableCandidateAndTheReferenceIsFoundByServiceLoader() {
        assertTrue(Backends.candidates().stream().anyMatch(c -> c.name().equals("reference") && c.probe().usable()));
    }
}
