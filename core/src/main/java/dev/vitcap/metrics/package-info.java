/**
 * The COCO caption metrics exactly as pycocoevalcap computes them: BLEU-1..4, ROUGE-L, CIDEr-D (and
 * METEOR through its jar), corpus and per image ({@link dev.vitcap.metrics.CocoMetrics}, start there),
 * the caption file formats they read ({@link dev.vitcap.metrics.CaptionFiles}), and a CIDEr-D reward for
 * training. Depends on {@code text}.
 */
package dev.vitcap.metrics;
