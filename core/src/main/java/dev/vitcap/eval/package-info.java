/**
 * Evaluation: captions of a dataset scored with the COCO metrics, and truthfulness on the synthetic
 * world ({@link dev.vitcap.eval.Evaluation}). Depends on {@code caption}, {@code decode}, {@code metrics} and {@code data}.
 */
package dev.vitcap.eval;
