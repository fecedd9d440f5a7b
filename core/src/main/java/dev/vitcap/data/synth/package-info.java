/**
 * The built-in synthetic world: scenes of coloured shapes on a grid ({@link dev.vitcap.data.synth.SynthWorld}
 * generates one), their images and reference captions from a grammar, and the truthfulness check that
 * knows every scene's facts ({@link dev.vitcap.data.synth.Truthfulness}).
 */
package dev.vitcap.data.synth;
