package dev.vitcap.data.synth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The shapes of the world. Each outline fits a unit box centred on the origin; the set was chosen to
 * stay apart at a few pixels across: round, square, pointed up, tall and thin, hollow-cornered, spiky.
 */
public enum ShapeKind {
    CIRCLE("circle", "circles", new Ellipse2D.Double(-0.5, -0.5, 1, 1)),
    SQUARE("square", "squares", new Rectangle2D.Double(-0.4, -0.4, 0.8, 0.8)),
    TRIANGLE("triangle", "triangles", polygon(0, -0.47, 0.47, 0.4, -0.47, 0.4)),
    // Taller than wide, so that it never reads as a square turned by the rotation jitter.
    DIAMOND("diamond", "diamonds", polygon(0, -0.5, 0.34, 0, 0, 0.5, -0.34, 0)),
    CROSS("cross", "crosses", cross(0.45, 0.17)),
    STAR("star", "stars", star(0.5, 0.21));

    private final String word;
    private final String plural;
    private final Shape unitOutline;

    ShapeKind(String word, String plural, Shape unitOutline) {
        this.word = word;
        this.plural = plural;
        this.unitOutline = unitOutline;
    }

    @JsonValue
    public String word() {
        return word;
    }

    public String plural() {
        return plural;
    }

    /** The outline in a unit box centred on the origin; callers transform it, never change it. */
    Shape unitOutline() {
        return unitOutline;
    }

    @JsonCreator
    public static ShapeKind ofWord(String word) {
        return Lexicon.byWord(values(), ShapeKind::word, word, "shape");
    }

    private static Path2D polygon(double... xy) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) path.lineTo(xy[i], xy[i + 1]);
        path.closePath();
        return path;
    }

    /** A plus sign: arms reaching {@code arm} from the centre, {@code half} of their thickness either side. */
    private static Path2D cross(double arm, double half) {
        return polygon(-half, -arm, half, -arm, half, -half, arm, -half, arm, half, half, half,
                half, arm, -half, arm, -half, half, -arm, half, -arm, -half, -half, -half);
    }

    /** A five-pointed star, point up; a deep inner radius keeps the points visible when small. */
    private static Path2D star(double outer, double inner) {
        double[] xy = new double[20];
        for (int i = 0; i < 10; i++) {
            double radius = i % 2 == 0 ? outer : inner;
            double angle = -Math.PI / 2 + i * Math.PI / 5;
            xy[2 * i] = radius * Math.cos(angle);
            xy[2 * i + 1] = radius * Math.sin(angle);
        }
        return polygon(xy);
    }
}
