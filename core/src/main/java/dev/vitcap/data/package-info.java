/**
 * Caption datasets (COCO, Karpathy splits, Flickr8k token files, CSV, JSONL), image decoding and
 * preprocessing, and the prepared image cache that training reads instead of image files.
 */
package dev.vitcap.data;
