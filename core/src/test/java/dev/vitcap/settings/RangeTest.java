package dev.vitcap.settings;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangeTest {
    @Test
    void endsAreIncludedOrNotAsDeclared() {
        Range topP = Range.aboveUpTo(0, 1);
        assertFalse(topP.contains(0));
        assertTrue(topP.contains(1e-9));
        assertTrue(topP.contains(1));
        assertFalse(topP.contains(1.0000001));
        Range smoothing = Range.fromUpTo(0, 1);
        assertTrue(smoothing.contains(0));
        assertFalse(smoothing.contains(1));
        assertTrue(Range.between(1, 32).contains(32));
        assertFalse(Range.between(1, 32).contains(33));
        assertFalse(Range.above(0).contains(0));
        assertTrue(Range.atLeast(0).contains(0));
    }

    @Test
    void notANumberAndTheInfinitiesAreInNoRange() {
        for (Range r : new Range[]{Range.atLeast(0), Range.above(0), Range.finite(), Range.between(-1, 1)}) {
            assertFalse(r.contains(Double.NaN), r::toString);
            assertFalse(r.contains(Double.POSITIVE_INFINITY), r::toString);
            assertFalse(r.contains(Double.NEGATIVE_INFINITY), r::toString);
        }
        assertTrue(Range.finite().contains(-1e300));
    }

    @Test
    void checkReturnsTheValueOrSaysWhatIsAllowed() {
        assertEquals(3, Range.atLeast(1).check("epochs", 3));
        assertEquals("epochs must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> Range.atLeast(1).check("epochs", 0)).getMessage());
        assertEquals("top-p must be in (0, 1], not 2.0",
                assertThrows(IllegalArgumentException.class, () -> Range.aboveUpTo(0, 1).check("top-p", 2f)).getMessage());
        assertEquals("learning rate must be above 0, not NaN",
                assertThrows(IllegalArgumentException.class, () -> Range.above(0).check("learning rate", Float.NaN)).getMessage());
    }

    @Test
    void rangesReadAsWords() {
        assertEquals("at least 1", Range.atLeast(1).toString());
        assertEquals("above 0", Range.above(0).toString());
        assertEquals("between 1 and 32", Range.between(1, 32).toString());
        assertEquals("in [0, 1)", Range.fromUpTo(0, 1).toString());
        assertEquals("in (0, 0.5]", Range.aboveUpTo(0, 0.5).toString());
        assertEquals("a finite number", Range.finite().toString());
    }
}
