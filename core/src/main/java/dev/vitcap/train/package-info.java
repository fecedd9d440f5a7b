/**
 * Training. {@link dev.vitcap.train.TrainingRun} is the whole recipe (data, vocabulary, image cache,
 * backend, resume, time budget, validation, checkpoints, log and curves) and the place to start;
 * {@link dev.vitcap.train.Trainer} is the epoch loop with exact resume, {@link dev.vitcap.train.TrainStep}
 * one optimisation step, {@link dev.vitcap.train.Throughput} the benchmark. The top layer: depends on
 * everything else in core.
 */
package dev.vitcap.train;
