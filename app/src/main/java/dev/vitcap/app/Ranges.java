package dev.vitcap.app;

import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.ImageCacheWriter;
import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.synth.SynthWorld;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.serve.CaptionServer;
import dev.vitcap.settings.Range;
import dev.vitcap.train.Throughput;
import dev.vitcap.train.TrainConfig;
import dev.vitcap.train.TrainingRun;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.function.Function;

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

    private abstract static class Checked<N extends Number> implements ITypeConverter<N> {
        private final Range range;
        private final Function<String, N> parse;
        private final String kind;

        Checked(Range range, Function<String, N> parse, String kind) {
            this.range = range;
            this.parse = parse;
            this.kind = kind;
        }

        @Override
        public N convert(String text) {
            N value;
            try {
                value = parse.apply(text.strip());
            } catch (NumberFormatException e) {
                throw new Refused("must be " + kind + ", not '" + text + "'");
            }
            if (!range.contains(value.doubleValue())) throw new Refused(range.refusal(text));
            return value;
        }
    }

    private abstract static class IntIn extends Checked<Integer> {
        IntIn(Range range) {
            super(range, Integer::valueOf, "a whole number");
        }
    }

    private abstract static class LongIn extends Checked<Long> {
        LongIn(Range range) {
            super(range, Long::valueOf, "a whole number");
        }
    }

    private abstract static class FloatIn extends Checked<Float> {
        FloatIn(Range range) {
            super(range, Float::valueOf, "a number");
        }
    }

    private abstract static class DoubleIn extends Checked<Double> {
        DoubleIn(Range range) {
            super(range, Double::valueOf, "a number");
        }
    }

    // Decoding (caption, evaluate; train --eval-beam).
    static final class Beam extends IntIn { Beam() { super(DecodeOptions.BEAM); } }
    static final class MaxWords extends IntIn { MaxWords() { super(DecodeOptions.MAX_WORDS); } }
    static final class MinWords extends IntIn { MinWords() { super(DecodeOptions.MIN_WORDS); } }
    static final class LengthPenalty extends FloatIn { LengthPenalty() { super(DecodeOptions.LENGTH_PENALTY); } }
    static final class Alternatives extends IntIn { Alternatives() { super(DecodeOptions.ALTERNATIVES); } }
    static final class Temperature extends FloatIn { Temperature() { super(DecodeOptions.TEMPERATURE); } }
    static final class TopK extends IntIn { TopK() { super(DecodeOptions.TOP_K); } }
    static final class TopP extends FloatIn { TopP() { super(DecodeOptions.TOP_P); } }

    // Captioning and serving.
    static final class MaxBatch extends IntIn { MaxBatch() { super(ImageCaptioner.Options.MAX_BATCH); } }
    static final class MaxWaitMillis extends LongIn { MaxWaitMillis() { super(ImageCaptioner.Options.MAX_WAIT_MILLIS); } }
    static final class QueueCapacity extends IntIn { QueueCapacity() { super(ImageCaptioner.Options.QUEUE_CAPACITY); } }
    static final class MaxPixels extends LongIn { MaxPixels() { super(ImageCaptioner.Options.MAX_PIXELS); } }
    static final class Port extends IntIn { Port() { super(CaptionServer.Settings.PORT); } }
    static final class MaxUploadMb extends DoubleIn { MaxUploadMb() { super(ServeCommand.MAX_UPLOAD_MB); } }

    // Data.
    static final class ImageSize extends IntIn { ImageSize() { super(ImagePreprocessor.SIZE); } }
    static final class Threads extends IntIn { Threads() { super(ImageCacheWriter.THREADS); } }
    static final class SynthSize extends IntIn { SynthSize() { super(SynthWorld.SIZE); } }
    static final class SynthCount extends IntIn { SynthCount() { super(SynthWorld.COUNT); } }
    static final class DemoCount extends IntIn { DemoCount() { super(DemoCommand.IMAGES); } }

    // Training.
    static final class MaxLength extends IntIn { MaxLength() { super(ModelConfig.MAX_LENGTH); } }
    static final class MinCount extends IntIn { MinCount() { super(TrainingRun.MIN_COUNT); } }
    static final class Epochs extends IntIn { Epochs() { super(TrainConfig.EPOCHS); } }
    static final class Minutes extends DoubleIn { Minutes() { super(TrainingRun.TIME_BUDGET_MINUTES); } }
    static final class Batch extends IntIn { Batch() { super(TrainConfig.BATCH_SIZE); } }
    static final class Lr extends FloatIn { Lr() { super(TrainConfig.LR); } }
    static final class EncoderLr extends FloatIn { EncoderLr() { super(TrainConfig.ENCODER_LR); } }
    static final class WeightDecay extends FloatIn { WeightDecay() { super(TrainConfig.WEIGHT_DECAY); } }
    static final class Warmup extends IntIn { Warmup() { super(TrainConfig.WARMUP_STEPS); } }
    static final class MinLrRatio extends FloatIn { MinLrRatio() { super(TrainConfig.MIN_LR_RATIO); } }
    static final class Clip extends FloatIn { Clip() { super(TrainConfig.CLIP_NORM); } }
    static final class LabelSmoothing extends FloatIn { LabelSmoothing() { super(TrainConfig.LABEL_SMOOTHING); } }
    static final class LossWeight extends FloatIn { LossWeight() { super(TrainConfig.LOSS_WEIGHT); } }
    static final class FreezeEncoderEpochs extends IntIn { FreezeEncoderEpochs() { super(TrainConfig.FREEZE_ENCODER_EPOCHS); } }
    static final class Patience extends IntIn { Patience() { super(TrainConfig.PATIENCE); } }
    static final class EvalLimit extends IntIn { EvalLimit() { super(TrainingRun.EVAL_LIMIT); } }

    // Measuring.
    static final class Iterations extends IntIn { Iterations() { super(Throughput.ITERATIONS); } }
}
