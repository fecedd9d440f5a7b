package dev.vitcap.app;

import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import picocli.CommandLine.ITypeConverter;

import java.util.List;

/** The converters of the options that name a model's parts, spelt alike by every command that takes them. */
final class ModelOptions {
    private ModelOptions() {
    }

    /** {@code --decoder attention|showtell}. */
    static final class Decoder implements ITypeConverter<DecoderConfig.Kind> {
        @Override
        public DecoderConfig.Kind convert(String name) {
            return switch (name) {
                case "attention" -> DecoderConfig.Kind.ATTENTION;
                case "showtell" -> DecoderConfig.Kind.SHOWTELL;
                default -> throw new Ranges.Refused("must be attention or showtell, not '" + name + "'");
            };
        }
    }

    /** {@code --directions l2r|r2l|both}. */
    static final class Directions implements ITypeConverter<dev.vitcap.model.Directions> {
        @Override
        public dev.vitcap.model.Directions convert(String name) {
            for (dev.vitcap.model.Directions d : dev.vitcap.model.Directions.values()) if (d.spelt().equals(name)) return d;
            throw new Ranges.Refused("must be l2r, r2l or both, not '" + name + "'");
        }
    }

    /** {@code --pos-init trunc_normal|sincos}. */
    static final class PositionInit implements ITypeConverter<dev.vitcap.model.PositionInit> {
        @Override
        public dev.vitcap.model.PositionInit convert(String name) {
            for (dev.vitcap.model.PositionInit p : dev.vitcap.model.PositionInit.values()) if (p.spelt().equals(name)) return p;
            throw new Ranges.Refused("must be trunc_normal or sincos, not '" + name + "'");
        }
    }

    /** A preset's name: {@code tiny}, {@code small} or {@code base}. */
    static final class Preset implements ITypeConverter<String> {
        @Override
        public String convert(String name) {
            List<String> presets = ModelConfig.PRESETS;
            if (!presets.contains(name)) {
                throw new Ranges.Refused("must be " + String.join(", ", presets.subList(0, presets.size() - 1)) + " or " + presets.get(presets.size() - 1) + ", not '" + name + "'");
            }
            return name;
        }
    }
}
