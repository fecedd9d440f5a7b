package dev.vitcap.data.synth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.awt.Shape;
import java.awt.geom.AffineTransform;

/**
 * One object of a scene: what it is, its grid cell, and the exact geometry it is drawn with (centre and
 * diameter in pixels, rotation in degrees clockwise), so that the scene alone reproduces the image.
 */
@JsonPropertyOrder({"shape", "colour", "size", "row", "col", "center_x", "center_y", "diameter", "rotation", "box"})
public record SceneObject(ShapeKind shape, Colour colour, ObjectSize size, int row, int col,
                          @JsonProperty("center_x") double centerX, @JsonProperty("center_y") double centerY,
                          double diameter, double rotation, PixelBox box) {

    @JsonIgnore
    public ObjectKind kind() {
        return new ObjectKind(size, colour, shape);
    }

    /** The outline in image pixels. */
    public Shape outline() {
        return outline(centerX, centerY, diameter, rotation, shape);
    }

    static Shape outline(double centerX, double centerY, double diameter, double rotation, ShapeKind shape) {
        AffineTransform place = new AffineTransform();
        place.translate(centerX, centerY);
        place.rotate(Math.toRadians(rotation));
        place.scale(diameter, diameter);
        return place.createTransformedShape(shape.unitOutline());
    }
}
