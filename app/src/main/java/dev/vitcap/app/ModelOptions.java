package dev.vitcap.app;

import dev.vitcap.model.DecoderConfig;

/** {@code --decoder attention|showtell}: the decoder of a preset, spelled alike by every command that takes one. */
final class DecoderOption {
    private DecoderOption() {
    }

    static DecoderConfig.Kind kind(String name) {
        return switch (name) {
            case "attention" -> DecoderConfig.Kind.ATTENTION;
            case "showtell" -> DecoderConfig.Kind.SHOWTELL;
            default -> throw new IllegalArgumentException("--decoder must be attention or showtell, not '" + name + "'");
        };
    }
}
