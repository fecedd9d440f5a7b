package dev.vitcap.data.synth;

import dev.vitcap.data.CaptionData;
import dev.vitcap.model.RegionHeadConfig;

import java.util.List;
import java.util.Map;

/**
 * A synthetic split as training data with region labels: each grid cell's class is its object's kind
 * plus one, 0 when empty, for the model's auxiliary {@link dev.vitcap.model.RegionHead}.
 */
public final class SceneRegions implements CaptionData {
    private final CaptionData data;
    private final int[][] regions;

    public SceneRegions(CaptionData data, Map<Integer, Scene> scenes) {
        this.data = data;
        this.regions = new int[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            Scene scene = scenes.get(Integer.parseInt(data.id(i)));
            if (scene == null) throw new IllegalArgumentException("no scene for image " + data.id(i));
            int[] kinds = scene.labels().cellKinds();
            regions[i] = new int[kinds.length];
            for (int c = 0; c < kinds.length; c++) regions[i][c] = kinds[c] + 1;
        }
    }

    /** The head these labels fit: the world's grid, every object kind and "empty". */
    public static RegionHeadConfig head(Map<Integer, Scene> scenes) {
        int grid = scenes.values().iterator().next().grid();
        return new RegionHeadConfig(grid, ObjectKind.COUNT + 1);
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public String id(int index) {
        return data.id(index);
    }

    @Override
    public void image(int index, float[] dst, int offset) {
        data.image(index, dst, offset);
    }

    @Override
    public List<String> references(int index) {
        return data.references(index);
    }

    @Override
    public int[] encoded(int index, int which) {
        return data.encoded(index, which);
    }

    @Override
    public int[] regions(int index) {
        return regions[index];
    }
}
