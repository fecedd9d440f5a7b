package dev.vitcap.app;

import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.ImageCacheWriter;
import dev.vitcap.data.ImageLimits;
import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.synth.SynthWorld;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.serve.CaptionServer;
import dev.vitcap.settings.Range;
import dev.vitcap.train.SelfCritical;
import dev.vitcap.train.Throughput;
import dev.vitcap.train.TrainConfig;
import dev.vitcap.train.TrainingRun;
import dev.vitcap.tune.Search;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;


/**
 * The numeric options' converters: each parses its option's value and checks it against the
 * {@link Range} the API declares for the setting, so a value out of range is a usage error (exit status
 * 2, one line naming the option) before any work, and the command line and the API cannot disagree.
 * Picocli makes converters from their classes, hence one small class per range.
 */
final class Ranges {
    private Ranges() {
    }

    /** A value refused by an option's converter (here or elsewhere); its message follows the option's name ({@link Errors#usage}). */
    static final class Refused extends TypeConversionException {
        Refused(String message) {
            super(message);
        }
    }

    /** Parses a number of type {@code N} (Integer, Long, Float or Double) and checks it against {@code range}. */
    private abstract static class Checked<N extends Number> implements ITypeConverter<N> {
        private final Range range;
        private final Class<N> type;

        Checked(Range range, Class<N> type) {
            this.range = range;
            this.type = type;
        }

        @Override
        public N convert(String text) {
            boolean whole = type == Integer.class || type == Long.class;
            Number value;
            try {
                String t = text.strip();
                if (type == Integer.class) value = Integer.valueOf(t);
                else if (type == Long.class) value = Long.valueOf(t);
                else if (type == Float.class) value = Float.valueOf(t);
                else value = Double.valueOf(t);
            } catch (NumberFormatException e) {
                throw new Refused("must be " + (whole ? "a whole number" : "a number") + ", not '" + text + "'");
            }
            if (!range.contains(value.doubleValue())) throw new Refused(range.refusal(text));
            return type.cast(value);
        }
    }

    // Decoding (caption, evaluate; train --eval-beam).
    static final class Beam extends Checked<Integer> { Beam() { super(DecodeOptions.BEAM, Integer.class); } }
    static final class MaxWords extends Checked<Integer> { MaxWords() { super(DecodeOptions.MAX_WORDS, Integer.class); } }
    static final class MinWords extends Checked<Integer> { MinWords() { super(DecodeOptions.MIN_WORDS, Integer.class); } }
    static final class LengthPenalty extends Checked<Float> { LengthPenalty() { super(DecodeOptions.LENGTH_PENALTY, Float.class); } }
    static final class Alternatives extends Checked<Integer> { Alternatives() { super(DecodeOptions.ALTERNATIVES, Integer.class); } }
    static final class Temperature extends Checked<Float> { Temperature() { super(DecodeOptions.TEMPERATURE, Float.class); } }
    static final class TopK extends Checked<Integer> { TopK() { super(DecodeOptions.TOP_K, Integer.class); } }
    static final class TopP extends Checked<Float> { TopP() { super(DecodeOptions.TOP_P, Float.class); } }
    static final class Rescore extends Checked<Float> { Rescore() { super(DecodeOptions.RESCORE, Float.class); } }

    // Captioning and serving.
    static final class MaxBatch extends Checked<Integer> { MaxBatch() { super(ImageCaptioner.Options.MAX_BATCH, Integer.class); } }
    static final class MaxWaitMillis extends Checked<Long> { MaxWaitMillis() { super(ImageCaptioner.Options.MAX_WAIT_MILLIS, Long.class); } }
    static final class QueueCapacity extends Checked<Integer> { QueueCapacity() { super(ImageCaptioner.Options.QUEUE_CAPACITY, Integer.class); } }
    static final class MaxPixels extends Checked<Long> { MaxPixels() { super(ImageLimits.MAX_PIXELS, Long.class); } }
    static final class Port extends Checked<Integer> { Port() { super(CaptionServer.Settings.PORT, Integer.class); } }
    static final class MaxUploadMb extends Checked<Double> { MaxUploadMb() { super(ServeCommand.MAX_UPLOAD_MB, Double.class); } }

    // Data.
    static final class ImageSize extends Checked<Integer> { ImageSize() { super(ImagePreprocessor.SIZE, Integer.class); } }
    static final class Threads extends Checked<Integer> { Threads() { super(ImageCacheWriter.THREADS, Integer.class); } }
    static final class SynthSize extends Checked<Integer> { SynthSize() { super(SynthWorld.SIZE, Integer.class); } }
    static final class SynthCount extends Checked<Integer> { SynthCount() { super(SynthWorld.COUNT, Integer.class); } }
    static final class DemoCount extends Checked<Integer> { DemoCount() { super(DemoCommand.IMAGES, Integer.class); } }

    // Training.
    static final class MaxLength extends Checked<Integer> { MaxLength() { super(Range.between(ModelConfig.MIN_LENGTH, ModelConfig.MAX_LENGTH), Integer.class); } }
    static final class MinCount extends Checked<Integer> { MinCount() { super(TrainingRun.MIN_COUNT, Integer.class); } }
    static final class Epochs extends Checked<Integer> { Epochs() { super(TrainConfig.EPOCHS, Integer.class); } }
    static final class Minutes extends Checked<Double> { Minutes() { super(TrainingRun.TIME_BUDGET_MINUTES, Double.class); } }
    static final class ScstMinutes extends Checked<Double> { ScstMinutes() { super(DemoCommand.SCST_MINUTES, Double.class); } }
    static final class Batch extends Checked<Integer> { Batch() { super(TrainConfig.BATCH_SIZE, Integer.class); } }
    static final class Lr extends Checked<Float> { Lr() { super(TrainConfig.LR, Float.class); } }
    static final class EncoderLr extends Checked<Float> { EncoderLr() { super(TrainConfig.ENCODER_LR, Float.class); } }
    static final class WeightDecay extends Checked<Float> { WeightDecay() { super(TrainConfig.WEIGHT_DECAY, Float.class); } }
    static final class Warmup extends Checked<Integer> { Warmup() { super(TrainConfig.WARMUP_STEPS, Integer.class); } }
    static final class MinLrRatio extends Checked<Float> { MinLrRatio() { super(TrainConfig.MIN_LR_RATIO, Float.class); } }
    static final class Clip extends Checked<Float> { Clip() { super(TrainConfig.CLIP_NORM, Float.class); } }
    static final class LabelSmoothing extends Checked<Float> { LabelSmoothing() { super(TrainConfig.LABEL_SMOOTHING, Float.class); } }
    static final class LossWeight extends Checked<Float> { LossWeight() { super(TrainConfig.LOSS_WEIGHT, Float.class); } }
    static final class FreezeEncoderEpochs extends Checked<Integer> { FreezeEncoderEpochs() { super(TrainConfig.FREEZE_ENCODER_EPOCHS, Integer.class); } }
    static final class Patience extends Checked<Integer> { Patience() { super(TrainConfig.PATIENCE, Integer.class); } }
    static final class EvalLimit extends Checked<Integer> { EvalLimit() { super(TrainingRun.EVAL_LIMIT, Integer.class); } }
    static final class ScstSamples extends Checked<Integer> { ScstSamples() { super(SelfCritical.SAMPLES, Integer.class); } }
    static final class PauseAfter extends Checked<Integer> { PauseAfter() { super(TrainingRun.PAUSE_AFTER_EPOCHS, Integer.class); } }

    // Tuning.
    static final class Trials extends Checked<Integer> { Trials() { super(Search.TRIALS, Integer.class); } }
    static final class Parallel extends Checked<Integer> { Parallel() { super(Search.PARALLEL, Integer.class); } }

    // Measuring.
    static final class Iterations extends Checked<Integer> { Iterations() { super(Throughput.ITERATIONS, Integer.class); } }
}
