/**
 * The public captioning API: {@link dev.vitcap.caption.ImageCaptioner} opens a checkpoint and captions
 * images (thread-safe, gathering concurrent calls into batches), returning {@link dev.vitcap.caption.Caption}s
 * with their words, log-probabilities, alternatives and attention. Start here to caption from Java.
 * Depends on {@code weights}, {@code decode}, {@code data}, {@code model}, {@code text} and {@code kernel}.
 */
package dev.vitcap.caption;
