package dev.vitcap.data.synth;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** Draws random scenes: 1 to 4 objects in distinct cells of a 3×3 grid, on a random background. */
final class SceneSampler {
    static final int GRID = 3;
    static final int MAX_OBJECTS = 4;
    /** Chance that an object repeats the whole kind of an earlier one, so that counts ("two red circles") occur. */
    private static final double REPEAT_KIND = 0.3;
    /** Chance that it repeats colour and shape with a size of its own, so that sizes must be told apart. */
    private static final double REPEAT_COLOUR_SHAPE = 0.15;
    private static final double SIZE_JITTER = 0.05;
    private static final double ROTATION_JITTER_DEGREES = 10;
    /** How far an object may stray from its cell centre, as a share of the cell, when the cell allows it. */
    private static final double POSITION_JITTER = 0.15;
    /** Gap kept between an object and its cell's edge, as a share of the cell, so neighbours never touch. */
    private static final double CELL_MARGIN = 0.02;

    private SceneSampler() {
    }

    static Scene sample(int imageId, int size, SplittableRandom random) {
        Background background = background(size, random);
        int count = 1 + random.nextInt(MAX_OBJECTS);
        List<Integer> cells = new ArrayList<>();
        for (int cell = 0; cell < GRID * GRID; cell++) cells.add(cell);
        List<ObjectKind> kinds = new ArrayList<>();
        List<SceneObject> objects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int cell = cells.remove(random.nextInt(cells.size()));
            ObjectKind kind = kind(kinds, random);
            kinds.add(kind);
            objects.add(place(kind, cell / GRID, cell % GRID, size, random));
        }
        objects.sort(Comparator.comparingInt((SceneObject o) -> o.row()).thenComparingInt(SceneObject::col));
        return new Scene(imageId, size, size, GRID, background, objects);
    }

    private static ObjectKind kind(List<ObjectKind> earlier, SplittableRandom random) {
        double draw = random.nextDouble();
        ObjectSize size = pick(ObjectSize.values(), random);
        if (!earlier.isEmpty() && draw < REPEAT_KIND + REPEAT_COLOUR_SHAPE) {
            ObjectKind model = earlier.get(random.nextInt(earlier.size()));
            return new ObjectKind(draw < REPEAT_KIND ? model.size() : size, model.colour(), model.shape());
        }
        return new ObjectKind(size, pick(Colour.values(), random), pick(ShapeKind.values(), random));
    }

    private static SceneObject place(ObjectKind kind, int row, int col, int size, SplittableRandom random) {
        double cell = (double) size / GRID;
        double diameter = round(cell * kind.size().cellShare() * (1 + jitter(SIZE_JITTER, random)), 100);
        double rotation = round(jitter(ROTATION_JITTER_DEGREES, random), 10);
        double cellX = (col + 0.5) * cell;
        double cellY = (row + 0.5) * cell;
        Rectangle2D centred = SceneObject.bounds(SceneObject.outline(cellX, cellY, diameter, rotation, kind.shape()));
        double margin = CELL_MARGIN * cell;
        double dx = offset(col * cell + margin - centred.getMinX(), (col + 1) * cell - margin - centred.getMaxX(),
                POSITION_JITTER * cell, random);
        double dy = offset(row * cell + margin - centred.getMinY(), (row + 1) * cell - margin - centred.getMaxY(),
                POSITION_JITTER * cell, random);
        double centerX = round(cellX + dx, 100);
        double centerY = round(cellY + dy, 100);
        Rectangle2D bounds = SceneObject.bounds(SceneObject.outline(centerX, centerY, diameter, rotation, kind.shape()));
        PixelBox box = new PixelBox(
                Math.max(0, (int) Math.floor(bounds.getMinX())), Math.max(0, (int) Math.floor(bounds.getMinY())),
                Math.min(size, (int) Math.ceil(bounds.getMaxX())), Math.min(size, (int) Math.ceil(bounds.getMaxY())));
        return new SceneObject(kind.shape(), kind.colour(), kind.size(), row, col, centerX, centerY,
                diameter, rotation, box);
    }

    /** A shift within [low, high] (what keeps the object inside its cell) and within ±limit. */
    private static double offset(double low, double high, double limit, SplittableRandom random) {
        double from = Math.max(low, -limit);
        double to = Math.min(high, limit);
        return from < to ? from + (to - from) * random.nextDouble() : (from + to) / 2;
    }

    private static Background background(int size, SplittableRandom random) {
        Background.Kind kind = pick(Background.Kind.values(), random);
        int grey = 105 + random.nextInt(46);
        int rgb = 0;
        for (int channel = 0; channel < 3; channel++) rgb = rgb << 8 | (grey - 12 + random.nextInt(25));
        int contrast = kind == Background.Kind.PLAIN ? 0 : 6 + random.nextInt(9);
        double period = round(size * (0.08 + 0.12 * random.nextDouble()), 100);
        int angle = kind == Background.Kind.GRADIENT ? random.nextInt(360) : 45 * random.nextInt(4);
        // 53 bits, so that JSON readers that hold numbers as doubles keep the seed exact.
        return new Background(kind, Background.hex(rgb), contrast, period, angle, random.nextLong(1L << 53));
    }

    private static <T> T pick(T[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    private static double jitter(double limit, SplittableRandom random) {
        return limit * (2 * random.nextDouble() - 1);
    }

    /** Rounded to 1/scale, so that the JSON holds the exact numbers the image was drawn with. */
    private static double round(double value, int scale) {
        return Math.round(value * scale) / (double) scale;
    }
}
