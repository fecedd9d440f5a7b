package dev.vitcap.data.synth;

/** What a mention says an object is; a null part is left unsaid and matches anything. */
public record Description(ObjectSize size, Colour colour, ShapeKind shape) {
    public boolean matches(SceneObject object) {
        return (size == null || size == object.size())
                && (colour == null || colour == object.colour())
                && (shape == null || shape == object.shape());
    }
}
