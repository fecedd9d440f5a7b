/**
 * Optimisation: AdamW as PyTorch runs it ({@link dev.vitcap.optim.AdamW}) and the learning-rate
 * schedule (warm-up, then cosine decay). Depends on {@code kernel} and {@code model}.
 */
package dev.vitcap.optim;
