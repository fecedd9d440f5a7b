/**
 * The captioner itself, one readable file per part whose parameter names are the weights' names: the
 * ViT encoder with timm's names ({@link dev.vitcap.model.VitEncoder}, {@link dev.vitcap.model.VitBlock}),
 * the attention LSTM decoder and the show-and-tell decoder ({@link dev.vitcap.model.AttentionDecoder},
 * {@link dev.vitcap.model.ShowTellDecoder}), each with its forward and backward pass, and their configs,
 * built by name. Start with {@link dev.vitcap.model.Captioner}. Depends on {@code kernel} only.
 */
package dev.vitcap.model;
