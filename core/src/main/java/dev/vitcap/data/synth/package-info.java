/**
 * The built-in synthetic world: scenes of coloured shapes on a grid, their images, reference captions
 * from a small grammar, and a checker that tells whether a caption is true of its scene
 * (docs/synthetic-world.md).
 */
package dev.vitcap.data.synth;
