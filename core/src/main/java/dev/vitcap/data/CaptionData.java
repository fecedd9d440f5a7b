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

    /** The first {@code limit} images (all when {@code limit <= 0} or there are no more): validation need not read all of a large set. */
    default CaptionData first(int limit) {
        CaptionData data = this;
        if (limit <= 0 || size() <= limit) return data;
        return new CaptionData() {
            public int size() {
                return limit;
            }

            public String id(int index) {
                return data.id(index);
            }

            public void image(int index, float[] dst, int offset) {
                data.image(index, dst, offset);
            }

            public List<String> references(int index) {
                return data.references(index);
            }

            public int[] encoded(int index, int which) {
                return data.encoded(index, which);
            }

            public int[] regions(int index) {
                return data.regions(index);
            }
        };
    }
}
