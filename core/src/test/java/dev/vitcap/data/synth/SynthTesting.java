package dev.vitcap.data.synth;

import java.util.ArrayList;
import java.util.List;

/** Scenes for the synthetic-world tests: drawn ones, and ones written by hand. */
final class SynthTesting {
    static final long SEED = 20240611L;

    private SynthTesting() {
    }

    /** The first {@code count} training scenes of the test seed. */
    static List<Scene> drawn(int count, int size) {
        List<Scene> scenes = new ArrayList<>();
        for (int index = 0; index < count; index++) scenes.add(SynthWorld.scene(SEED, Split.TRAIN, index, size));
        return scenes;
    }

    /** An object in a cell of the 3×3 grid; the geometry is only plausible, enough for what reads captions. */
    static SceneObject at(int row, int col, ObjectSize size, Colour colour, ShapeKind shape) {
        double cell = 64.0 / 3;
        double diameter = cell * size.cellShare();
        double centerX = (col + 0.5) * cell;
        double centerY = (row + 0.5) * cell;
        PixelBox box = new PixelBox((int) (centerX - diameter / 2), (int) (centerY - diameter / 2),
                (int) Math.ceil(centerX + diameter / 2), (int) Math.ceil(centerY + diameter / 2));
        return new SceneObject(shape, colour, size, row, col, centerX, centerY, diameter, 0, box);
    }

    static Scene scene(SceneObject... objects) {
        Background plain = new Background(Background.Kind.PLAIN, "#808080", 0, 8, 0, 0);
        return new Scene(1, 64, 64, 3, plain, List.of(objects));
    }
}
