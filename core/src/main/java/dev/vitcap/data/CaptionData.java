package dev.vitcap.data;

import java.util.List;

/**
 * What training and evaluation read: images (already resized, as normalised CHW floats) and their
 * reference captions, both as text (for the metrics) and as token ids of the model's fixed length.
 */
public interface CaptionData {
    int size();

    /** The image's stable identifier (the annotation file's image id). */
    String id(int index);

    /** Writes image {@code index} as {@code channels·height·width} normalised floats at {@code offset}. */
    void image(int index, float[] dst, int offset);

    /** The image's reference captions as written. */
    List<String> references(int index);

    /** Reference {@code which} as token ids: {@code <start>}, words, {@code <end>}, padding, of the model's length. */
    int[] encoded(int index, int which);

    /** The image's region classes for an auxiliary region head ({@code grid²} cells, 0 = empty), or null when the data has none. */
    default int[] regions(int index) {
        return null;
    }
}
