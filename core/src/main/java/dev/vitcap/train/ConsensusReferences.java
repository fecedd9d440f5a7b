package dev.vitcap.train;

import dev.vitcap.data.CaptionData;
import dev.vitcap.metrics.CiderDReward;

import java.util.ArrayList;
import java.util.List;

/**
 * For each image, the reference caption that agrees most with the image's other references (highest
 * CIDEr-D against them, document frequencies from the whole set): training on it alone gives the
 * decoder one consistent target per image instead of several phrasings to average, which it learns
 * faster, and it is the caption the metrics reward most.
 */
public final class ConsensusReferences {
    private ConsensusReferences() {
    }

    public static int[] choose(CaptionData data) {
        List<List<String>> sets = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) sets.add(data.references(i));
        CiderDReward cider = CiderDReward.fromReferenceSets(sets);
        int[] best = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            List<String> refs = sets.get(i);
            double top = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < refs.size() && refs.size() > 1; j++) {
                List<String> others = new ArrayList<>(refs);
                others.remove(j);
                double s = cider.score(refs.get(j), cider.references(others));
                if (s > top) {
                    top = s;
                    best[i] = j;
                }
            }
        }
        return best;
    }
}
