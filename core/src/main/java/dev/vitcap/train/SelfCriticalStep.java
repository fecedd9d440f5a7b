package dev.vitcap.train;

import dev.vitcap.decode.Decoded;
import dev.vitcap.decode.Decoding;
import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.metrics.CiderDReward;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;
import dev.vitcap.model.PassOptions;
import dev.vitcap.model.VitEncoder;
import dev.vitcap.text.Vocabulary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One step of self-critical training ({@link SelfCritical}): the encoder reads the images once; the
 * decoder draws K captions per image from its own distribution (dropout off, so the captions come from
 * the policy whose gradient is taken); each is rewarded by CIDEr-D; the loss is REINFORCE's surrogate
 * {@code −Σ (reward − baseline)·log p(word)}, divided by the number of sampled words, computed as the
 * decoder's teacher-forced cross-entropy on the samples with each caption's words weighed by its
 * advantage. Clipping and AdamW are the cross-entropy step's.
 */
public final class SelfCriticalStep {
    private final Captioner model;
    private final TrainStep optimizing;
    private final CiderDReward reward;
    private final Vocabulary vocabulary;

    /**
     * @param optimizing the cross-entropy step whose clipping and optimiser this one shares
     * @param reward     CIDEr-D with the training set's document frequencies
     */
    public SelfCriticalStep(Captioner model, TrainStep optimizing, CiderDReward reward, Vocabulary vocabulary) {
        this.model = model;
        this.optimizing = optimizing;
        this.reward = reward;
        this.vocabulary = vocabulary;
    }

    CiderDReward reward() {
        return reward;
    }

    /** The step's mean reward of the samples, mean baseline, and mean entropy of the distributions sampled from. */
    public record Rewards(double reward, double baseline, double entropy) {
    }

    /**
     * @param images     normalised images {@code [batch, …]}, already on the backend
     * @param references each image's references, tokenised by {@link CiderDReward#references}
     */
    public TrainStep.Result run(Tensor images, List<CiderDReward.References> references, SelfCritical sc, StepOptions o) {
        Kernels k = model.kernels;
        int batch = references.size(), samples = sc.samples(), rows = batch * samples, tokens = model.tokens();
        long width = (long) batch * tokens * model.config.encoder().dim(); // one copy of the batch's tokens
        try (Arena a = new Arena(k)) {
            VitEncoder.Pass enc = model.encoder.forward(a, images, batch);
            // Sample-major: row s·batch + i reads image i, so the K copies are K contiguous blocks.
            Tensor repeated = a.f32(rows, tokens, model.config.encoder().dim());
            for (int s = 0; s < samples; s++) k.copy2d(1, (int) width, enc.out, (int) width, repeated.from(s * width), (int) width);
            Decoding.Samples drawn = Decoding.sample(model, repeated, rows, o.seed(), Vocabulary.START, Vocabulary.END);
            List<CiderDReward.References> perRow = new ArrayList<>(rows);
            for (int s = 0; s < samples; s++) perRow.addAll(references);
            double[] rewards = reward.score(texts(drawn.captions()), perRow);
            double[] baseline = sc.baseline() == SelfCritical.Baseline.GREEDY
                    ? greedyBaseline(enc.out, batch, references, samples)
                    : meanOfOthers(rewards, batch, samples);
            float[] advantage = new float[rows];
            for (int r = 0; r < rows; r++) advantage[r] = (float) (rewards[r] - baseline[r]);

            CaptionBatch sampled = teacherForced(a, drawn.captions(), advantage);
            Decoder.Pass pass = model.decoder.forward(a, repeated, tokens, sampled, new PassOptions(false, o.seed(), 0f, 0f));
            model.zeroGrads();
            Tensor dRepeated = a.zeros(rows, tokens, model.config.encoder().dim());
            model.decoder.backward(a, pass, dRepeated);
            if (o.trainEncoder()) {
                Tensor dEnc = a.zeros(batch, tokens, model.config.encoder().dim());
                k.sumRows(dRepeated, samples, (int) width, dEnc);
                model.encoder.backward(a, enc, dEnc);
            }
            double norm = optimizing.applyGradients(o, List.of());
            return new TrainStep.Result(pass.loss(), pass.crossEntropy(), norm,
                    new Rewards(mean(rewards), mean(baseline), drawn.entropy()));
        }
    }

    private double[] greedyBaseline(Tensor enc, int batch, List<CiderDReward.References> references, int samples) {
        double[] greedy = reward.score(texts(Decoding.greedy(model, enc, batch, Vocabulary.START, Vocabulary.END)), references);
        double[] out = new double[batch * samples];
        for (int s = 0; s < samples; s++) System.arraycopy(greedy, 0, out, s * batch, batch);
        return out;
    }

    /** Each sample's baseline is the mean reward of its image's other samples (leave-one-out). */
    static double[] meanOfOthers(double[] rewards, int batch, int samples) {
        double[] out = new double[rewards.length];
        for (int i = 0; i < batch; i++) {
            double sum = 0;
            for (int s = 0; s < samples; s++) sum += rewards[s * batch + i];
            for (int s = 0; s < samples; s++) out[s * batch + i] = (sum - rewards[s * batch + i]) / (samples - 1);
        }
        return out;
    }

    /**
     * Each caption as {@code <start>} and its words, then {@code <end>}: a real target when the caption
     * ended, padding the loss does not count when the length limit cut it off. Weighed by its advantage.
     */
    private static CaptionBatch teacherForced(Arena a, Decoded[] captions, float[] advantage) {
        int[][] tokens = Decoding.teacherForced(Arrays.stream(captions).map(Decoded::words).toList(), Vocabulary.START, Vocabulary.END);
        int[] lengths = Arrays.stream(captions).mapToInt(c -> c.words().length + (c.ended() ? 1 : 0)).toArray();
        return CaptionBatch.sampled(a, tokens, lengths, advantage);
    }

    private List<String> texts(Decoded[] captions) {
        List<String> out = new ArrayList<>(captions.length);
        for (Decoded c : captions) out.add(vocabulary.decode(c.words()));
        return out;
    }

    private static double mean(double[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }
}
