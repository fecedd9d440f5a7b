package dev.vitcap.train;

import dev.vitcap.data.CaptionData;
import dev.vitcap.optim.Schedule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleAndConsensusTest {
    @Test
    void warmsUpLinearlyThenDecaysByCosineToTheFloor() {
        Schedule s = new Schedule(1f, 10, 110, 0.1f);
        assertEquals(0.1f, s.at(0), 1e-6);
        assertEquals(1f, s.at(9), 1e-6);
        assertEquals(1f, s.at(10), 1e-6);
        assertEquals(0.55f, s.at(60), 1e-5);
        assertEquals(0.1f, s.at(110), 1e-6);
        for (int t = 11; t < 110; t++) assertTrue(s.at(t) <= s.at(t - 1));
    }

    @Test
    void consensusPicksTheReferenceTheOthersAgreeWith() {
        CaptionData data = new CaptionData() {
            final List<List<String>> refs = List.of(
                    List.of("a dog on grass", "a red ball and a dog running on the grass", "a dog running on the grass", "the dog runs on grass"),
                    List.of("a sofa", "two cats sleeping on a sofa", "two cats sleeping"));

            public int size() {
                return refs.size();
            }

            public String id(int index) {
                return "" + index;
            }

            public void image(int index, float[] dst, int offset) {
            }

            public List<String> references(int index) {
                return refs.get(index);
            }

            public int[] encoded(int index, int which) {
                return new int[0];
            }
        };
        assertArrayEquals(new int[]{2, 1}, ConsensusReferences.choose(data));
    }
}
