/**
 * Weights on disk: the safetensors format ({@link dev.vitcap.weights.SafeTensors}), self-describing
 * checkpoints (weights, vocabulary, preprocessing, default decoding, optimiser and training state;
 * {@link dev.vitcap.weights.Checkpoint}) and timm's ViT arguments. Depends on {@code model}, {@code optim},
 * {@code decode}, {@code text} and {@code io}.
 */
package dev.vitcap.weights;
