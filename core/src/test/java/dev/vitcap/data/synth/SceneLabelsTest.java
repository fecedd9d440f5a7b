package dev.vitcap.data.synth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;

import static dev.vitcap.data.synth.SynthTesting.at;
import static dev.vitcap.data.synth.SynthTesting.scene;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SceneLabelsTest {
    @Test
    void countsConceptsAndPlacesKindsInCells() {
        Scene scene = scene(
                at(0, 1, ObjectSize.SMALL, Colour.RED, ShapeKind.CIRCLE),
                at(2, 0, ObjectSize.SMALL, Colour.RED, ShapeKind.CIRCLE),
                at(2, 2, ObjectSize.LARGE, Colour.BLUE, ShapeKind.CIRCLE));
        SceneLabels labels = scene.labels();
        assertEquals(3, labels.objectCount());
        assertEquals(3, count(labels, "circle"));
        assertEquals(2, count(labels, "red"));
        assertEquals(1, count(labels, "large"));
        assertEquals(2, count(labels, "red circle"));
        assertEquals(2, count(labels, "small red circle"));
        assertEquals(1, count(labels, "large blue circle"));
        assertEquals(0, count(labels, "square"));
        // circle, red, blue, small, large, red circle, blue circle, small red circle, large blue circle
        float[] present = labels.multiHot();
        double sum = 0;
        for (float value : present) sum += value;
        assertEquals(9, sum);
        int smallRedCircle = new ObjectKind(ObjectSize.SMALL, Colour.RED, ShapeKind.CIRCLE).index();
        int largeBlueCircle = new ObjectKind(ObjectSize.LARGE, Colour.BLUE, ShapeKind.CIRCLE).index();
        assertArrayEquals(new int[] {-1, smallRedCircle, -1, -1, -1, -1, smallRedCircle, -1, largeBlueCircle}, labels.cellKinds());
    }

    private static int count(SceneLabels labels, String concept) {
        return labels.conceptCounts()[SceneLabels.CONCEPTS.indexOf(concept)];
    }

    @Test
    void conceptsAndKindsAreNumberedOnceEach() {
        assertEquals(6 + 8 + 2 + 8 * 6 + ObjectKind.COUNT, SceneLabels.CONCEPTS.size());
        assertEquals(SceneLabels.CONCEPTS.size(), new HashSet<>(SceneLabels.CONCEPTS).size());
        for (int index = 0; index < ObjectKind.COUNT; index++) assertEquals(index, ObjectKind.ofIndex(index).index());
    }
}
