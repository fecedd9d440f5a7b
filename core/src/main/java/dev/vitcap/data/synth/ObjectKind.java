package dev.vitcap.data.synth;

/** What an object is, apart from where: size, colour and shape. Indexed densely for label vectors. */
public record ObjectKind(ObjectSize size, Colour colour, ShapeKind shape) {
    public static final int COUNT = ObjectSize.values().length * Colour.values().length * ShapeKind.values().length;

    /** 0 until {@link #COUNT}: size major, then colour, then shape. */
    public int index() {
        return (size.ordinal() * Colour.values().length + colour.ordinal()) * ShapeKind.values().length
                + shape.ordinal();
    }

    public static ObjectKind ofIndex(int index) {
        int shapes = ShapeKind.values().length;
        int colours = Colour.values().length;
        return new ObjectKind(ObjectSize.values()[index / (shapes * colours)],
                Colour.values()[index / shapes % colours], ShapeKind.values()[index % shapes]);
    }

    @Override
    public String toString() {
        return size.word() + " " + colour.word() + " " + shape.word();
    }
}
