package dev.vitcap.data.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * One image of the world: {@code grid}×{@code grid} cells over {@code width}×{@code height} pixels,
 * at most one object per cell, objects listed in reading order (row by row, left to right).
 */
@JsonPropertyOrder({"image_id", "width", "height", "grid", "background", "objects"})
public record Scene(@JsonProperty("image_id") int imageId, int width, int height, int grid,
                    Background background, List<SceneObject> objects) {

    public Scene {
        objects = List.copyOf(objects);
    }

    /** Targets for an auxiliary loss on what the scene contains (see {@link SceneLabels}). */
    public SceneLabels labels() {
        return SceneLabels.of(this);
    }
}
