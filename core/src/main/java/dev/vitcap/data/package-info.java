/**
 * Caption datasets (COCO, Karpathy splits, Flickr8k token files, CSV, JSONL; {@link dev.vitcap.data.DatasetFormat}
 * detects which), image decoding and preprocessing ({@link dev.vitcap.data.ImagePreprocessor}), the prepared
 * image cache that training reads instead of image files, and {@link dev.vitcap.data.CaptionData}, what
 * training and evaluation read. {@code data.synth} is the built-in synthetic world. Depends on {@code io},
 * {@code text} and (the world's region labels) {@code model}.
 */
package dev.vitcap.data;
