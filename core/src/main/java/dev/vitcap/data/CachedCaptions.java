package dev.vitcap.data;

import dev.vitcap.text.Vocabulary;

import java.util.List;

/**
 * The training and evaluation view of a prepared image cache: one split's readable images, their
 * references as written, and those references encoded with the vocabulary once, up front.
 */
public final class CachedCaptions implements CaptionData {
    private final ImageCache cache;
    private final int[] rows;
    private final PixelNormalizer normalizer;
    private final int[][][] encoded;

    /** @param split the cache's split to read, or null for every readable row */
    public CachedCaptions(ImageCache cache, String split, Vocabulary vocabulary, float[] mean, float[] std) {
        this.cache = cache;
        this.rows = cache.presentRows(split);
        this.normalizer = new PixelNormalizer(mean, std);
        this.encoded = new int[rows.length][][];
        for (int i = 0; i < rows.length; i++) {
            List<String> captions = references(i);
            encoded[i] = new int[captions.size()][];
            for (int j = 0; j < captions.size(); j++) encoded[i][j] = vocabulary.encode(captions.get(j));
        }
    }

    public ImageCache cache() {
        return cache;
    }

    @Override
    public int size() {
        return rows.length;
    }

    @Override
    public String id(int index) {
        return cache.item(rows[index]).imageId();
    }

    @Override
    public void image(int index, float[] dst, int offset) {
        cache.read(rows[index], normalizer, dst, offset);
    }

    @Override
    public List<String> references(int index) {
        return cache.item(rows[index]).captions();
    }

    @Override
    public int[] encoded(int index, int which) {
        return encoded[index][which];
    }
}
