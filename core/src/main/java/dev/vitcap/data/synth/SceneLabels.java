package dev.vitcap.data.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Structured targets for a trainer's auxiliary concept loss: what a caption must name, without the
 * words. {@code conceptCounts[i]} counts the scene's objects that have concept {@link #CONCEPTS}{@code [i]};
 * {@code cellKinds[row * grid + col]} is the {@link ObjectKind#index()} of the object in that cell, or
 * -1 where the cell is empty.
 */
public record SceneLabels(int[] conceptCounts, int[] cellKinds, int objectCount) {

    /**
     * The concepts, in vector order: each shape, each colour, each size, each colour-shape pair
     * ("red circle") and each size-colour-shape kind ("small red circle"), the last in
     * {@link ObjectKind#index()} order.
     */
    public static final List<String> CONCEPTS = conceptNames();

    private static final int SHAPES = ShapeKind.values().length;
    private static final int COLOURS = Colour.values().length;
    private static final int SIZES = ObjectSize.values().length;
    private static final int PAIRS_START = SHAPES + COLOURS + SIZES;
    private static final int KINDS_START = PAIRS_START + COLOURS * SHAPES;

    static SceneLabels of(Scene scene) {
        int[] counts = new int[CONCEPTS.size()];
        int[] cells = new int[scene.grid() * scene.grid()];
        Arrays.fill(cells, -1);
        for (SceneObject object : scene.objects()) {
            for (int concept : conceptsOf(object.kind())) counts[concept]++;
            cells[object.row() * scene.grid() + object.col()] = object.kind().index();
        }
        return new SceneLabels(counts, cells, scene.objects().size());
    }

    /** 1 for each concept present, else 0. */
    public float[] multiHot() {
        float[] present = new float[conceptCounts.length];
        for (int i = 0; i < present.length; i++) present[i] = conceptCounts[i] > 0 ? 1f : 0f;
        return present;
    }

    /** The indices in {@link #CONCEPTS} of the five concepts an object of this kind has. */
    static int[] conceptsOf(ObjectKind kind) {
        int shape = kind.shape().ordinal();
        int colour = kind.colour().ordinal();
        return new int[] {
                shape,
                SHAPES + colour,
                SHAPES + COLOURS + kind.size().ordinal(),
                PAIRS_START + colour * SHAPES + shape,
                KINDS_START + kind.index()};
    }

    private static List<String> conceptNames() {
        List<String> names = new ArrayList<>();
        for (ShapeKind shape : ShapeKind.values()) names.add(shape.word());
        for (Colour colour : Colour.values()) names.add(colour.word());
        for (ObjectSize size : ObjectSize.values()) names.add(size.word());
        for (Colour colour : Colour.values()) {
            for (ShapeKind shape : ShapeKind.values()) names.add(colour.word() + " " + shape.word());
        }
        for (int kind = 0; kind < ObjectKind.COUNT; kind++) names.add(ObjectKind.ofIndex(kind).toString());
        return List.copyOf(names);
    }
}
