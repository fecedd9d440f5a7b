/**
 * Turning images into captions with a model: greedy decoding, beam search (length penalty, minimum
 * length, trigram blocking, n-best) and sampling, all batched, each word with its log-probability, and
 * the attention readout. Start with {@link dev.vitcap.decode.Decoding} and {@link dev.vitcap.decode.DecodeOptions}.
 * Depends on {@code kernel}, {@code model} and {@code data}.
 */
package dev.vitcap.decode;
