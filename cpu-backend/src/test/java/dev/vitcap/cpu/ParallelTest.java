package dev.vitcap.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParallelTest {
    @Test
    void threadsComeFromThePropertyWhenItIsAPositiveWholeNumber() {
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), Parallel.threads(null));
        assertEquals(3, Parallel.threads("3"));
        assertEquals(3, Parallel.threads(" 3 "));
        assertEquals(0, Parallel.threads("0"), "0 marks the backend unusable");
        assertEquals(0, Parallel.threads("-2"));
        assertEquals(0, Parallel.threads("two"));
    }
}
