package dev.vitcap.data.synth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;

/**
 * One object of a scene: what it is, its grid cell, and the exact geometry it is drawn with (centre and
 * diameter in pixels, rotation in degrees clockwise), so that the scene alone reproduces the image.
 */
@JsonPropertyOrder({"shape", "colour", "size", "row", "col", "center_x", "center_y", "diameter", "rotation", "box"})
public record SceneObject(ShapeKind shape, Colour colour, ObjectSize size, int row, int col,
                          @JsonProperty("center_x") double centerX, @JsonProperty("center_y") double centerY,
                          double diameter, double rotation, PixelBox box) {
    /** How far, in pixels, the straight pieces that stand in for a curve may stray from it when bounding it. */
    private static final double FLATNESS = 0.001;

    @JsonIgnore
    public ObjectKind kind() {
        return new ObjectKind(size, colour, shape);
    }

    /** The outline in image pixels. */
    public Shape outline() {
        return outline(centerX, centerY, diameter, rotation, shape);
    }

    /**
     * The outline's bounding rectangle, tight: Java 17's {@code Shape.getBounds2D} of a turned circle
     * holds its curves' control points, which reach a tenth of the radius past the circle.
     */
    public Rectangle2D bounds() {
        return bounds(outline());
    }

    static Rectangle2D bounds(Shape outline) {
        double[] point = new double[6];
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (PathIterator path = outline.getPathIterator(null, FLATNESS); !path.isDone(); path.next()) {
            if (path.currentSegment(point) == PathIterator.SEG_CLOSE) continue;
            minX = Math.min(minX, point[0]);
            minY = Math.min(minY, point[1]);
            maxX = Math.max(maxX, point[0]);
            maxY = Math.max(maxY, point[1]);
        }
        return new Rectangle2D.Double(minX, minY, maxX - minX, maxY - minY);
    }

    static Shape outline(double centerX, double centerY, double diameter, double rotation, ShapeKind shape) {
        AffineTransform place = new AffineTransform();
        place.translate(centerX, centerY);
        place.rotate(Math.toRadians(rotation));
        place.scale(diameter, diameter);
        return place.createTransformedShape(shape.unitOutline());
    }
}
